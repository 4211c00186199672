#include "commands/reexec.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "net/scoreboard.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

constexpr const char* kListenerVar = "NETIUS_LISTENER_FD";
constexpr const char* kWorkersVar = "NETIUS_WORKERS";
constexpr const char* kCheckVar = "NETIUS_CHECK_CONFIG";
constexpr const char* kSelf = "/proc/self/exe";
constexpr std::int64_t kCheckTimeoutMs = 30000;

int parse_int(std::string_view s, const char* what) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0)
        throw Error("{}: not a number: '{}'", what, std::string(s));
    return v;
}

// This process's command line, as it was started (argv[0] kept: busybox names dispatch on it).
std::vector<std::string> own_arguments() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> args;
    std::size_t at = 0;
    while (at < all.size()) {
        const std::size_t end = all.find('\0', at);
        args.push_back(all.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return args;
}

// The program to run: this one, or, when its file was replaced since it started (a package
// upgrade renames a new file over it), the new file at the same path, so a reload also
// upgrades the binary (the check run proves the new one loads the configuration first).
std::string own_program() {
    std::error_code ec;
    std::string path = std::filesystem::read_symlink(kSelf, ec).string();
    const std::string deleted = " (deleted)";
    if (!ec && path.size() > deleted.size() &&
        path.compare(path.size() - deleted.size(), deleted.size(), deleted) == 0) {
        path.resize(path.size() - deleted.size());
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    return kSelf;
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return argv;
}

// Runs the command line with NETIUS_CHECK_CONFIG=1; true when it exited 0 within the limit.
bool configuration_loads(const std::string& program, std::vector<std::string> args) {
    const pid_t child = ::fork();
    if (child < 0) {
        spdlog::error("reload: fork(): {}", std::strerror(errno));
        return false;
    }
    if (child == 0) {
        ::setenv(kCheckVar, "1", 1);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        auto argv = argv_of(args);
        ::execv(program.c_str(), argv.data());
        std::_Exit(127);
    }
    const std::int64_t deadline = net::steady_ms() + kCheckTimeoutMs;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(child, &status, WNOHANG);
        if (r == child) break;
        if (r < 0 && errno != EINTR) return false;
        if (net::steady_ms() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            spdlog::error("reload refused: checking the configuration took over {} s",
                          kCheckTimeoutMs / 1000);
            return false;
        }
        ::usleep(10000);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    spdlog::error(
        "reload refused: the new configuration does not load (see above); still "
        "serving with the previous one");
    return false;
}

}  // namespace

bool checking_configuration() {
    const char* v = std::getenv(kCheckVar);
    return v && std::string_view(v) == "1";
}

std::optional<Handover> take_handover() {
    const char* fd_text = std::getenv(kListenerVar);
    if (!fd_text) return std::nullopt;
    const std::string fd_value = fd_text;
    const std::string workers = std::getenv(kWorkersVar) ? std::getenv(kWorkersVar) : "";
    ::unsetenv(kListenerVar);
    ::unsetenv(kWorkersVar);
    Handover h;
    const int fd = parse_int(fd_value, kListenerVar);
    if (!net::sockets::is_listening(fd))
        throw Error("{}: fd {} is not a listening socket", kListenerVar, fd);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    h.listener.reset(fd);
    std::string_view rest = workers;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        const std::size_t colon = item.find(':');
        if (colon == std::string_view::npos) throw Error("{}: malformed '{}'", kWorkersVar, item);
        h.workers.push_back({parse_int(item.substr(0, colon), kWorkersVar),
                             parse_int(item.substr(colon + 1), kWorkersVar)});
    }
    return h;
}

void reexec(int listener_fd, const std::vector<InheritedWorker>& workers) {
    std::vector<std::string> args = own_arguments();
    if (args.empty()) {
        spdlog::error("reload: cannot read /proc/self/cmdline");
        return;
    }
    const std::string program = own_program();
    if (program != kSelf) spdlog::info("reload: running the new {}", program);
    if (!configuration_loads(program, args)) return;
    std::string list;
    for (const InheritedWorker& w : workers)
        list += fmt::format("{}{}:{}", list.empty() ? "" : ",", w.pid, w.index);
    ::setenv(kListenerVar, std::to_string(listener_fd).c_str(), 1);
    ::setenv(kWorkersVar, list.c_str(), 1);
    ::fcntl(listener_fd, F_SETFD, 0);  // kept open across execve
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    auto argv = argv_of(args);
    ::execv(program.c_str(), argv.data());
    const int err = errno;
    ::fcntl(listener_fd, F_SETFD, FD_CLOEXEC);
    ::unsetenv(kListenerVar);
    ::unsetenv(kWorkersVar);
    spdlog::error("reload: execv({}): {}; still serving with the previous workers", program,
                  std::strerror(err));
}

}  // namespace netius::cmd
