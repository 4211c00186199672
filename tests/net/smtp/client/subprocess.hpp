#pragma once
// Real peers for the client tests as subprocesses (netius serve smtp, aiosmtpd, dnsmasq):
// started with posix_spawn, stopped by the destructor (SIGTERM, then SIGKILL after 5 s);
// every wait bounded.
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "net/inet_address.hpp"
#include "net/socket.hpp"

extern char** environ;

namespace netius::net::smtp::test {

/// The netius binary: NETIUS_BIN, else the first "netius" found walking up from this test
/// binary's directory (the build directory); empty when there is none.
inline std::string netius_binary() {
    if (const char* env = std::getenv("NETIUS_BIN")) return env;
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path dir = self.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path())
        if (fs::is_regular_file(dir / "netius")) return (dir / "netius").string();
    return {};
}

/// The bytes of the file at `path` (empty if it cannot be read).
inline std::string read_binary(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A port on 127.0.0.1 that was free a moment ago (SOCK_STREAM or SOCK_DGRAM).
inline std::uint16_t free_port(int type = SOCK_STREAM) {
    UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
    InetAddress any = InetAddress::parse("127.0.0.1:0");
    if (::bind(fd.get(), any.get(), any.length()) != 0) return 0;
    return sockets::local_address(fd.get()).port();
}

/// A port on 127.0.0.1 free a moment ago for both UDP and TCP (a DNS server binds both).
inline std::uint16_t free_dns_port() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        InetAddress any = InetAddress::parse("127.0.0.1:0");
        if (::bind(udp.get(), any.get(), any.length()) != 0) continue;
        const std::uint16_t port = sockets::local_address(udp.get()).port();
        UniqueFd tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        InetAddress same = InetAddress::parse("127.0.0.1", port);
        if (::bind(tcp.get(), same.get(), same.length()) == 0) return port;
    }
    return 0;
}

/// Waits at most 10 s until `ready()` holds; false if it never did.
inline bool wait_until(const std::function<bool()>& ready) {
    for (int i = 0; i < 1000; ++i) {
        if (ready()) return true;
        ::usleep(10'000);
    }
    return false;
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
inline bool accepts(std::uint16_t port) {
    try {
        sockets::connect_blocking(InetAddress::parse("127.0.0.1", port));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

class Subprocess {
  public:
    /// Runs argv[0] (a path) with `argv`; started() tells whether it could be spawned.
    explicit Subprocess(std::vector<std::string> argv) {
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        if (argv.empty() ||
            ::posix_spawn(&pid_, argv[0].c_str(), nullptr, nullptr, args.data(), environ) != 0)
            pid_ = -1;
    }
    ~Subprocess() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        if (wait_until([&] { return ::waitpid(pid_, nullptr, WNOHANG) == pid_; })) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    bool started() const { return pid_ > 0; }
    /// True while the process has not exited.
    bool running() {
        if (pid_ <= 0) return false;
        if (::waitpid(pid_, nullptr, WNOHANG) != pid_) return true;
        pid_ = -1;
        return false;
    }

  private:
    pid_t pid_ = -1;
};

}  // namespace netius::net::smtp::test
