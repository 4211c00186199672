#include "commands/http_get_progress.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "net/event_loop.hpp"

namespace netius::cmd {

std::string format_bytes(std::uint64_t n) {
    if (n < 1024) return fmt::format("{} B", n);
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = static_cast<double>(n) / 1024;
    std::size_t unit = 0;
    while (v >= 1024 && unit + 1 < std::size(kUnits)) {
        v /= 1024;
        ++unit;
    }
    return v < 10    ? fmt::format("{:.2f} {}", v, kUnits[unit])
           : v < 100 ? fmt::format("{:.1f} {}", v, kUnits[unit])
                     : fmt::format("{:.0f} {}", v, kUnits[unit]);
}

std::string format_progress(const ProgressSnapshot& s) {
    std::string line;
    if (s.count > 1) line += fmt::format("[{}/{}] ", s.finished, s.count);
    const double rate = s.seconds > 0 ? static_cast<double>(s.bytes) / s.seconds : 0;
    if (s.total > 0) {
        const auto percent = std::min<std::uint64_t>(100, s.bytes * 100 / s.total);
        line += fmt::format("{:3}% {} / {}", percent, format_bytes(s.bytes), format_bytes(s.total));
    } else {
        line += format_bytes(s.bytes);
    }
    line += fmt::format("  {}/s", format_bytes(static_cast<std::uint64_t>(rate)));
    if (s.total > 0 && s.bytes < s.total && rate > 0) {
        const auto eta = static_cast<std::uint64_t>(static_cast<double>(s.total - s.bytes) / rate);
        line += eta >= 3600
                    ? fmt::format("  ETA {}:{:02}:{:02}", eta / 3600, eta / 60 % 60, eta % 60)
                    : fmt::format("  ETA {}:{:02}", eta / 60, eta % 60);
    }
    return line;
}

ProgressBar::ProgressBar(net::EventLoop* loop, std::size_t count)
    : loop_(loop), start_(net::Clock::now()) {
    snapshot_.count = count;
    // The destructor cancels the timer: it may hold `this`.
    timer_ = loop_->run_every(std::chrono::milliseconds(250), [this] { draw(); });
}

ProgressBar::~ProgressBar() {
    loop_->cancel(timer_);
}

void ProgressBar::expect(std::uint64_t bytes, bool known) {
    if (!known) unknown_ = true;
    snapshot_.total += bytes;
}

void ProgressBar::draw() {
    snapshot_.seconds = std::chrono::duration<double>(net::Clock::now() - start_).count();
    ProgressSnapshot s = snapshot_;
    if (unknown_) s.total = 0;  // one unknown size makes the total unknown
    std::string line = format_progress(s);
    // Pad over the previous line's tail: lines shrink as units change.
    const std::size_t width = line.size();
    if (width < last_width_) line.append(last_width_ - width, ' ');
    last_width_ = width;
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
}

void ProgressBar::print(std::string_view text) {
    const bool shown = last_width_ > 0 && !stopped_;
    if (shown) std::fprintf(stderr, "\r%*s\r", static_cast<int>(last_width_), "");
    std::fwrite(text.data(), 1, text.size(), stderr);
    if (!shown) return;
    last_width_ = 0;
    draw();
}

void ProgressBar::stop() {
    if (stopped_) return;
    stopped_ = true;
    loop_->cancel(timer_);
    draw();
    std::fputc('\n', stderr);
}

}  // namespace netius::cmd
