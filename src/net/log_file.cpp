#include "net/log_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "util/error.hpp"

namespace netius::net {
namespace {

constexpr std::size_t kFlushAt = 64 * 1024;  // write early past this much pending text

UniqueFd open_log(const std::string& path) {
    if (path == "-") return UniqueFd(::dup(STDOUT_FILENO));
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) throw Error(errno_message("cannot open access log '" + path + "'", errno));
    return fd;
}

}  // namespace

void append_escaped_field(std::string& out, std::string_view text) {
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

LogFile::LogFile(std::string path) : path_(std::move(path)), fd_(open_log(path_)) {}

std::string_view LogFile::stamp(std::time_t now) {
    if (now != stamp_second_) {
        std::tm tm{};
        ::localtime_r(&now, &tm);
        std::strftime(stamp_, sizeof stamp_, "[%d/%b/%Y:%H:%M:%S %z]", &tm);
        stamp_second_ = now;
    }
    return stamp_;
}

void LogFile::written() {
    if (pending_.size() >= kFlushAt) flush();
}

void LogFile::flush() {
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

void LogFile::reopen() {
    flush();
    try {
        fd_ = open_log(path_);
        reported_error_ = false;
    } catch (const Error& e) {
        spdlog::error("{}", e.what());
    }
}

}  // namespace netius::net
