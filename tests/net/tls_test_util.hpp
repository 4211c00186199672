#pragma once
// Helpers for the TLS tests: running the openssl binary with a bounded wait, a test PKI made
// with it (root CA -> intermediate -> RSA server certificate for localhost and 127.0.0.1), and
// a client TlsTransport driven with poll() on a helper thread (every wait bounded).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "net/buffer.hpp"
#include "net/tls_transport.hpp"
#include "util/unique_fd.hpp"

extern char** environ;

namespace netius::net::test {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed
    bool timed_out = false;
    std::string out, err;
};

/// Runs argv (searched in PATH) with `input` on stdin; kills it after `limit`.
inline ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                                 std::chrono::milliseconds limit) {
    ProcessResult result;
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) {
        result.err = "pipe2 failed";
        return result;
    }
    UniqueFd in_r(in[0]), in_w(in[1]), out_r(out[0]), out_w(out[1]), err_r(err[0]), err_w(err[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    in_r.reset();
    out_w.reset();
    err_w.reset();
    if (rc != 0) {
        result.err = std::string("posix_spawnp: ") + std::strerror(rc);
        return result;
    }
    ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
    if (input.empty()) in_w.reset();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (out_r || err_r) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[3] = {
            {in_w.get(), POLLOUT, 0}, {out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
        if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        if (fds[0].revents) {
            ssize_t n = ::write(in_w.get(), input.data(), input.size());
            if (n > 0) input.remove_prefix(static_cast<std::size_t>(n));
            if ((n < 0 && errno != EAGAIN) || input.empty()) in_w.reset();
        }
        UniqueFd* readers[2] = {&out_r, &err_r};
        std::string* sinks[2] = {&result.out, &result.err};
        for (int i = 0; i < 2; ++i) {
            if (!fds[i + 1].revents) continue;
            char chunk[65536];
            ssize_t n = ::read(readers[i]->get(), chunk, sizeof chunk);
            if (n > 0)
                sinks[i]->append(chunk, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR)
                readers[i]->reset();
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

inline void write_file(const std::string& path, const std::string& data) {
    std::ofstream(path, std::ios::binary) << data;
}

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// A root CA, an intermediate CA and a server certificate (RSA 2048, SAN DNS:localhost and
/// IP:127.0.0.1) issued by the intermediate, made with the openssl CLI in a temporary
/// directory. chain.pem = server.pem + intermediate.pem; other.key is an unrelated key.
class TestPki {
  public:
    TestPki() {
        char tmpl[] = "/tmp/netius-tls-XXXXXX";
        if (::mkdtemp(tmpl)) dir_ = tmpl;
    }
    ~TestPki() {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    /// Makes every file; returns an empty string or what went wrong.
    std::string make() {
        if (dir_.empty()) return "mkdtemp failed";
        write_file(path("ca.ext"),
                   "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n"
                   "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        write_file(path("server.ext"),
                   "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                   "subjectAltName=DNS:localhost,IP:127.0.0.1\nauthorityKeyIdentifier=keyid\n");
        const std::vector<std::vector<std::string>> steps = {
            {"req",
             "-x509",
             "-config",
             "/dev/null",
             "-newkey",
             "ec",
             "-pkeyopt",
             "ec_paramgen_curve:P-256",
             "-nodes",
             "-keyout",
             path("root.key"),
             "-out",
             path("root.pem"),
             "-subj",
             "/CN=netius test root",
             "-days",
             "2",
             "-addext",
             "basicConstraints=critical,CA:TRUE",
             "-addext",
             "keyUsage=critical,keyCertSign",
             "-addext",
             "subjectKeyIdentifier=hash"},
            {"req", "-new", "-config", "/dev/null", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("intermediate.key"), "-out",
             path("intermediate.csr"), "-subj", "/CN=netius test intermediate"},
            {"x509", "-req", "-in", path("intermediate.csr"), "-CA", path("root.pem"), "-CAkey",
             path("root.key"), "-set_serial", "2", "-days", "2", "-extfile", path("ca.ext"), "-out",
             path("intermediate.pem")},
            {"req", "-new", "-config", "/dev/null", "-newkey", "rsa:2048", "-nodes", "-keyout",
             path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost"},
            {"x509", "-req", "-in", path("server.csr"), "-CA", path("intermediate.pem"), "-CAkey",
             path("intermediate.key"), "-set_serial", "3", "-days", "2", "-extfile",
             path("server.ext"), "-out", path("server.pem")},
            {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
             path("other.key")},
        };
        for (auto step : steps) {
            step.insert(step.begin(), "openssl");
            ProcessResult r = run_process(step, "", std::chrono::seconds(60));
            if (r.exit_code != 0) return "openssl " + step[1] + " failed: " + r.err;
        }
        write_file(path("chain.pem"),
                   read_file(path("server.pem")) + read_file(path("intermediate.pem")));
        return {};
    }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

  private:
    std::string dir_;
};

/// Repeats `op` (a transport call) until it stops asking to wait, polling `fd` as it asks;
/// Error ETIMEDOUT after `limit`.
template <typename Op>
IoResult drive(int fd, Op op, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        IoResult r = op();
        if (r.status != IoStatus::WantRead && r.status != IoStatus::WantWrite) return r;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return {IoStatus::Error, 0, ETIMEDOUT};
        pollfd p{fd, static_cast<short>(r.status == IoStatus::WantRead ? POLLIN : POLLOUT), 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
    }
}

/// Writes all of `data` through `t`; false on an error or time-out.
inline bool tls_write_all(TlsTransport& t, int fd, std::string_view data) {
    while (!data.empty()) {
        IoResult r = drive(fd, [&] { return t.write(data.data(), data.size()); });
        if (r.status != IoStatus::Ok) return false;
        data.remove_prefix(r.bytes);
    }
    return true;
}

/// Reads through `t` until `n` bytes arrived or the stream ended (`last` gets the final
/// status: Ok when `n` bytes came, else Eof/Error).
inline std::string tls_read(TlsTransport& t, int fd, std::size_t n, IoResult* last = nullptr) {
    Buffer in;
    IoResult r;
    while (in.readable_bytes() < n) {
        r = drive(fd, [&] { return t.read(in); });
        if (r.status != IoStatus::Ok) break;
    }
    if (last) *last = r;
    return std::string(in.view());
}

/// A test suite sharing one TestPki (made once per suite, as making keys is slow).
class PkiTest : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        pki_ = new TestPki;
        setup_error_ = pki_->make();
    }
    static void TearDownTestSuite() {
        delete pki_;
        pki_ = nullptr;
    }
    void SetUp() override { ASSERT_EQ(setup_error_, ""); }
    static std::string path(const std::string& name) { return pki_->path(name); }

    static inline TestPki* pki_ = nullptr;
    static inline std::string setup_error_;
};

}  // namespace netius::net::test
