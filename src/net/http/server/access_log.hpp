#pragma once
// Access log in the Combined Log Format (Apache/nginx "combined"), appended to a file or
// written to stdout through a net::LogFile: lines are buffered and written at most once per
// flush() call (the server flushes every second and at shutdown), so logging costs no syscall
// per request; O_APPEND keeps the lines of several workers whole. One per loop thread (not
// thread-safe).
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"
#include "net/http/status.hpp"
#include "net/log_file.hpp"

namespace netius::net::http {

/// The fields of one line, copied (the request's buffers may be gone by then): for a
/// response whose content streams, logged once it ends with the bytes actually sent.
struct AccessEntry {
    std::string client, method, target, referer, user_agent;
    std::string extra;  // Response::log_extra
    Version version = Version::kHttp11;
    Status status = Status::kOk;
};

class AccessLog {
  public:
    /// `path` "-" is standard output. Opens (creating, mode 0644) and appends; throws
    /// netius::Error naming the path when it cannot be opened.
    explicit AccessLog(std::string path) : file_(std::move(path)) {}

    /// Adds one line: `client` (address without port), the request line, status, content
    /// bytes sent (after any content coding, without chunk framing: nginx's $body_bytes_sent),
    /// Referer and User-Agent ("-" when absent). Field text is escaped like nginx's (`"` and
    /// control bytes as \xHH) so a client cannot forge lines. `extra` (the handler's
    /// Response::log_extra: serve proxy's upstream and its time) ends the line when not empty.
    void log(std::string_view client, const RequestHead& head, Status status, std::uint64_t bytes,
             std::time_t now, std::string_view extra = {});
    /// The same for an entry taken earlier (entry()), `bytes` the content bytes sent.
    void log(const AccessEntry& entry, std::uint64_t bytes, std::time_t now);

    /// The line's fields for `head`, to log() once the content has been sent.
    static AccessEntry entry(std::string_view client, const RequestHead& head, Status status,
                             std::string_view extra = {});

    /// Writes buffered lines (errors are logged once through spdlog and the lines dropped).
    void flush() { file_.flush(); }

    /// Reopens the file (SIGUSR1, after logrotate moved it). Keeps the old one on failure.
    void reopen() { file_.reopen(); }

  private:
    void append(std::string_view client, std::string_view method, std::string_view target,
                Version version, Status status, std::uint64_t bytes, std::string_view referer,
                std::string_view user_agent, std::time_t now, std::string_view extra);

    LogFile file_;
};

}  // namespace netius::net::http
