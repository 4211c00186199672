#include "util/secret.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>

#include "util/error.hpp"
#include "util/files.hpp"

namespace netius {
namespace {

constexpr std::size_t kMaxSecretLine = 4096;

std::string first_line(std::string text) {
    auto end = text.find_first_of("\r\n");
    if (end != std::string::npos) text.resize(end);
    return text;
}

// Restores the terminal's echo even when reading throws.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

}  // namespace

std::string read_secret_line(const std::string& prompt) {
    bool tty = ::isatty(STDIN_FILENO);
    if (tty) {
        std::fputs(prompt.c_str(), stderr);
        std::fflush(stderr);
    }
    std::string line;
    bool ended = false;
    {
        std::optional<EchoOff> quiet;
        if (tty) quiet.emplace(STDIN_FILENO);
        char c;
        for (;;) {
            ssize_t n = ::read(STDIN_FILENO, &c, 1);  // byte by byte: never consume past the line
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw Error(errno_message("cannot read standard input", errno));
            if (n == 0) break;
            if (c == '\n') {
                ended = true;
                break;
            }
            if (line.size() == kMaxSecretLine) throw Error("input line longer than 4096 bytes");
            line.push_back(c);
        }
    }
    if (tty) std::fputs("\n", stderr);
    if (!ended && line.empty()) throw Error("no input on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string read_secret_file(const std::string& path) { return first_line(read_input(path)); }

}  // namespace netius
