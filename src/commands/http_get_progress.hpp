#pragma once
// The progress line `netius http get` draws on stderr while downloading to files: size, rate
// and ETA, redrawn in place a few times a second from a loop timer. format_progress() is pure
// (unit-tested); ProgressBar only keeps counts and draws, and is the one writer of stderr
// while it is shown (print()). Loop thread only.
#include <cstdint>
#include <string>
#include <string_view>

#include "net/callbacks.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::cmd {

struct ProgressSnapshot {
    std::uint64_t bytes = 0;
    std::uint64_t total = 0;  // 0: unknown (a transfer without Content-Length)
    double seconds = 0;       // since the start
    std::size_t finished = 0;
    std::size_t count = 1;
};

/// "1.5 KiB", "12.3 MiB", "999 B" (binary units, three significant digits).
std::string format_bytes(std::uint64_t n);

/// One line: " 42% 12.5 MiB / 30.0 MiB  3.2 MiB/s  ETA 0:05", without the percentage and ETA
/// when the total is unknown, prefixed "[2/5] " for several URLs.
std::string format_progress(const ProgressSnapshot& s);

class ProgressBar {
  public:
    /// Starts redrawing on stderr every 250 ms.
    ProgressBar(net::EventLoop* loop, std::size_t count);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /// A transfer's size became known (Content-Length), or is unknown (`known` false).
    void expect(std::uint64_t bytes, bool known);
    void add(std::uint64_t bytes) { snapshot_.bytes += bytes; }
    void finished_one() { ++snapshot_.finished; }
    /// Writes `text` (whole lines) to stderr above the bar: the bar's line is blanked first
    /// and drawn again after, so -v lines and messages never share a line with it.
    void print(std::string_view text);
    /// Draws the final state, ends the line, and stops the timer.
    void stop();

  private:
    void draw();

    net::EventLoop* loop_;
    ProgressSnapshot snapshot_;
    bool unknown_ = false;
    net::Clock::time_point start_;
    net::TimerId timer_;
    std::size_t last_width_ = 0;
    bool stopped_ = false;
};

}  // namespace netius::cmd
