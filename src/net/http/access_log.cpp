#include "net/http/access_log.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "util/error.hpp"

namespace netius::net::http {
namespace {

constexpr std::size_t kFlushAt = 64 * 1024;  // write early past this much pending text

UniqueFd open_log(const std::string& path) {
    if (path == "-") return UniqueFd(::dup(STDOUT_FILENO));
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) throw Error(errno_message("cannot open access log '" + path + "'", errno));
    return fd;
}

void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end);
}

}  // namespace

void append_log_escaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
}

AccessLog::AccessLog(std::string path) : path_(std::move(path)), fd_(open_log(path_)) {}

void AccessLog::log(std::string_view client, const RequestHead& head, Status status,
                    std::uint64_t bytes, std::time_t now) {
    if (now != stamp_second_) {  // "[24/Nov/2026:18:00:00 +0000]", once per second
        std::tm tm{};
        ::localtime_r(&now, &tm);
        std::strftime(stamp_, sizeof stamp_, "[%d/%b/%Y:%H:%M:%S %z]", &tm);
        stamp_second_ = now;
    }
    std::string& o = pending_;
    append_log_escaped(o, client.empty() ? "-" : client);
    o += " - - ";
    o += stamp_;
    o += " \"";
    append_log_escaped(o, head.method);
    o += ' ';
    append_log_escaped(o, head.target);
    o += head.version == Version::kHttp10 ? " HTTP/1.0\" " : " HTTP/1.1\" ";
    append_number(o, static_cast<std::uint64_t>(code(status)));
    o += ' ';
    append_number(o, bytes);
    for (std::string_view field : {"Referer", "User-Agent"}) {
        o += " \"";
        auto value = head.get(field);
        append_log_escaped(o, value ? *value : "-");
        o += '"';
    }
    o += '\n';
    if (pending_.size() >= kFlushAt) flush();
}

void AccessLog::flush() {
    std::string_view data = pending_;
    while (!data.empty()) {
        ssize_t n = ::write(fd_.get(), data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            if (!reported_error_)
                spdlog::error("{}", errno_message("write(access log " + path_ + ")", errno));
            reported_error_ = true;
            break;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    pending_.clear();
}

void AccessLog::reopen() {
    flush();
    try {
        fd_ = open_log(path_);
        reported_error_ = false;
    } catch (const Error& e) {
        spdlog::error("{}", e.what());
    }
}

}  // namespace netius::net::http
