#pragma once
// Helpers for the reactor tests: a watchdog that bounds every loop run, and blocking client
// sockets with receive/send timeouts (every wait in a test is bounded).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <iterator>
#include <random>
#include <string>

#include "net/event_loop.hpp"
#include "net/inet_address.hpp"
#include "net/socket.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::test {

using namespace std::chrono_literals;

/// Fails the test and quits the loop if it is still running after `limit`.
class Watchdog {
  public:
    Watchdog(EventLoop& loop, std::chrono::milliseconds limit) : loop_(loop) {
        id_ = loop.run_after(limit, [this, limit] {
            ADD_FAILURE() << "watchdog: the loop still ran after " << limit.count() << " ms";
            loop_.quit();
        });
    }
    ~Watchdog() { loop_.cancel(id_); }

  private:
    EventLoop& loop_;
    TimerId id_;
};

/// Runs the loop until something calls quit(), at most `limit`.
inline void run_loop(EventLoop& loop, std::chrono::milliseconds limit = 10s) {
    Watchdog dog(loop, limit);
    loop.loop();
}

/// Quits `loop` as soon as `done()` holds (checked every few milliseconds).
template <typename Pred>
void run_until(EventLoop& loop, Pred done, std::chrono::milliseconds limit = 10s) {
    TimerId poll = loop.run_every(2ms, [&] {
        if (done()) loop.quit();
    });
    run_loop(loop, limit);
    loop.cancel(poll);
}

inline void set_timeouts(int fd, std::chrono::seconds t = 10s) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(t.count());
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/// A blocking client socket whose reads and writes give up after 10 s.
inline UniqueFd connect_client(const InetAddress& address) {
    UniqueFd fd = sockets::connect_blocking(address);
    set_timeouts(fd.get());
    return fd;
}

inline bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// Reads exactly `n` bytes, or fewer if the stream ends, fails or times out.
inline std::string read_exactly(int fd, std::size_t n) {
    std::string out;
    char chunk[65536];
    while (out.size() < n) {
        ssize_t got = ::recv(fd, chunk, std::min(sizeof chunk, n - out.size()), 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        out.append(chunk, static_cast<std::size_t>(got));
    }
    return out;
}

/// Reads until end of stream (or an error/timeout); `eof` tells whether a clean EOF was seen.
inline std::string read_to_eof(int fd, bool* eof = nullptr) {
    std::string out;
    char chunk[65536];
    for (;;) {
        ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got < 0 && errno == EINTR) continue;
        if (eof) *eof = got == 0;
        if (got <= 0) return out;
        out.append(chunk, static_cast<std::size_t>(got));
    }
}

/// A loopback port that refuses: bound, then closed.
inline InetAddress closed_port(bool ipv6 = false) {
    UniqueFd fd = sockets::listen_on(InetAddress::loopback(0, ipv6));
    return sockets::local_address(fd.get());
}

/// A loopback listener whose accept queue is full (backlog 0, one connection never accepted):
/// further SYNs are dropped, so connecting to it hangs until the client gives up.
struct Blackhole {
    UniqueFd listener;
    UniqueFd filler;
    InetAddress address;
    explicit Blackhole(bool ipv6 = false) {
        sockets::ListenOptions o;
        o.backlog = 0;
        listener = sockets::listen_on(InetAddress::loopback(0, ipv6), o);
        address = sockets::local_address(listener.get());
        filler = sockets::connect_blocking(address);
    }
};

/// True if ::1 can be listened on (IPv6 may be disabled on a build machine).
inline bool has_ipv6_loopback() {
    try {
        sockets::listen_on(InetAddress::loopback(0, true));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

/// The number of file descriptors this process has open (a leak check).
inline long open_fd_count() {
    namespace fs = std::filesystem;
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{});
}

inline std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(gen());
    return s;
}

}  // namespace netius::net::test
