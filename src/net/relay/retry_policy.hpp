#pragma once
// RetryPolicy — when the relay queue tries a transiently failed recipient again (RFC 5321
// §4.5.4.1: retry, back off, give up after days): exponential back-off from `first`, doubling
// per failed attempt, capped at `cap`; past `max_age` since acceptance the recipient fails for
// good (a bounce with status 4.4.7). Pure; any thread.
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace netius::net::relay {

struct RetryPolicy {
    std::chrono::seconds first{60};
    std::chrono::seconds cap{3600};
    std::chrono::seconds max_age{5 * 24 * 3600};

    /// Delay before the next try after `attempts` (>= 1) failed attempts:
    /// first, 2*first, 4*first, ... at most cap.
    std::chrono::seconds delay(int attempts) const {
        std::int64_t d = std::max<std::int64_t>(first.count(), 1);
        for (int i = 1; i < attempts && d < cap.count(); ++i) d *= 2;
        return std::chrono::seconds(std::min<std::int64_t>(d, std::max(cap, first).count()));
    }
};

}  // namespace netius::net::relay
