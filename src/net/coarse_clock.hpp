#pragma once
// coarse_now() — Clock::now() read from the kernel's tick-granular clock
// (CLOCK_MONOTONIC_COARSE: behind the precise one by at most a tick, 1-4 ms, at a third of
// its cost through the vDSO). For the stamps and deadlines a server takes several times per
// request (idle since, header timeout, body timeout: seconds), never for arming timers: a
// deadline compared with Clock::now() merely comes a tick early.
#include <ctime>

#include "net/callbacks.hpp"

namespace netius::net {

inline Clock::time_point coarse_now() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);  // the clock Clock (steady_clock) reads
    return Clock::time_point(std::chrono::seconds(ts.tv_sec) +
                             std::chrono::nanoseconds(ts.tv_nsec));
}

/// The wall clock's current second, as coarsely (CLOCK_REALTIME_COARSE): the Date header.
inline std::time_t coarse_wall_second() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return ts.tv_sec;
}

}  // namespace netius::net
