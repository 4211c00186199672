#pragma once
// LogFile — an append-only text log (access logs): lines are buffered and written with one
// write() per flush() (the owner flushes once a second and at shutdown), so logging costs no
// syscall per line; O_APPEND keeps the lines of several worker processes whole. "-" is
// standard output. One per loop thread (not thread-safe).
#include <ctime>
#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace netius::net {

class LogFile {
  public:
    /// Opens (creating, mode 0644) and appends; throws netius::Error naming the path.
    explicit LogFile(std::string path);
    ~LogFile() { flush(); }

    /// The buffer to append complete lines ("...\n") to; call written() after.
    std::string& pending() { return pending_; }
    /// Flushes early when much is pending.
    void written();
    /// Writes what is pending (a failure is logged once through spdlog; the lines are dropped).
    void flush();
    /// Reopens the file (SIGUSR1, after logrotate moved it); keeps the old one on failure.
    void reopen();

    /// "[24/Nov/2026:18:00:00 +0000]" for `now`, in local time (cached for the second).
    std::string_view stamp(std::time_t now);

  private:
    std::string path_;
    UniqueFd fd_;
    std::string pending_;
    std::time_t stamp_second_ = -1;
    char stamp_[32] = {};
    bool reported_error_ = false;
};

/// Appends `text` escaped for a log field (bytes < 0x20, 0x7f+, `"` and `\` as \xHH), so a
/// client cannot forge lines.
void append_escaped_field(std::string& out, std::string_view text);

}  // namespace netius::net
