#pragma once
// Access log in the Combined Log Format (Apache/nginx "combined"), appended to a file or
// written to stdout. Lines are buffered and written at most once per flush() call (the server
// flushes every second and at shutdown), so logging costs no syscall per request.
// One per loop thread (not thread-safe). Workers append to one file with O_APPEND: each
// flush is one write(), and lines never interleave mid-line.
#include <ctime>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"
#include "net/http/status.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::http {

class AccessLog {
  public:
    /// `path` "-" is standard output. Opens (creating, mode 0644) and appends; throws
    /// netius::Error naming the path when it cannot be opened.
    explicit AccessLog(std::string path);

    /// Adds one line: `client` (address without port), the request line, status, content
    /// bytes sent, Referer and User-Agent ("-" when absent). Field text is escaped like
    /// nginx's (`"` and control bytes as \xHH) so a client cannot forge lines.
    void log(std::string_view client, const RequestHead& head, Status status, std::uint64_t bytes,
             std::time_t now);

    /// Writes buffered lines (errors are logged once through spdlog and the lines dropped).
    void flush();

    /// Reopens the file (SIGHUP, after logrotate moved it). Keeps the old one on failure.
    void reopen();

  private:
    std::string path_;
    UniqueFd fd_;
    std::string pending_;
    std::time_t stamp_second_ = -1;
    char stamp_[32] = {};
    bool reported_error_ = false;
};

/// Appends `text` escaped for a log field (bytes < 0x20, 0x7f+, `"` and `\` as \xHH).
void append_log_escaped(std::string& out, std::string_view text);

}  // namespace netius::net::http
