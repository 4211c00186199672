#pragma once
// The option group every `netius serve` command shares, spelled once (architecture rule 12):
// listen address, TLS, workers, access log, allow-list, shutdown, and the HTTP keep-alive,
// encoding, limits and timeouts. Each flag also reads the netius environment name (flags win).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/http/limits.hpp"
#include "net/inet_address.hpp"
#include "net/tls_context.hpp"

namespace netius::cmd {

/// How a command's handler gets request content: kHeld, the server holds the whole body in
/// memory first (a limit by default); kStreamed, the handler reads it as it arrives through a
/// bounded window (no limit by default: the app decides, as under gunicorn).
enum class RequestBodies { kHeld, kStreamed };

struct ServerOptions {
    std::string host = "127.0.0.1";  // HOST; "unix" selects --unix (netius)
    std::uint16_t port = 9090;       // PORT
    bool ipv6 = false;               // IPV6: default host ::1
    std::string unix_path;           // UNIX_PATH; replaces host/port
    int backlog = SOMAXCONN;         // BACKLOG
    bool ssl = false;                // SSL
    std::string key_file;            // KEY_FILE
    std::string cer_file;            // CER_FILE
    int workers = 1;                 // CHILDREN (0 = 1, as netius' "no children")
    bool keep_alive = true;          // KEEP_ALIVE
    std::string access_log;          // COMMON_LOG: FILE or - (stderr... stdout)
    std::string allowed;             // ALLOWED: ';'-separated addresses/CIDR
    bool proxy_protocol = false;     // connections start with a PROXY v1/v2 header
    std::string encoding = "plain";  // ENCODING: plain|chunked|gzip|deflate (HTTP)
    double shutdown_timeout = 10;    // seconds for in-flight responses at SIGTERM
    std::string user;                // SETUID: USER[:GROUP] the workers run as
    bool no_sandbox = false;         // --no-sandbox: no Landlock confinement
    bool io_uring = true;            // IO_URING: batch socket system calls (net/io_batch.hpp)
    net::http::Limits limits;
    net::http::Http2Options http2;  // HTTP2, SETTINGS_*
    bool safe = false;              // SAFE: netius' safe mode, HTTP/1.1 only

    /// Adds the group to `app`; `default_port` is 9090 for HTTP servers, 25 for SMTP. `http`
    /// adds the HTTP-only options (keep-alive, encoding, limits and timeouts); `bodies` sets
    /// --max-body-bytes' default and help (kStreamed: 0, no limit).
    void add_to(CLI::App& app, std::uint16_t default_port, bool http = true,
                RequestBodies bodies = RequestBodies::kHeld);

    /// The address to listen on, from host/port/ipv6/unix_path. Throws netius::UsageError
    /// for a host that is not a numeric address.
    net::InetAddress listen_address() const;

    /// The ALPN list an HTTP server offers: h2 (when on), then http/1.1 (netius' order).
    std::vector<std::string> http_alpn() const;

    /// The server TLS context from key_file/cer_file (either may hold both), or, when neither
    /// is given, an ephemeral self-signed certificate (logged as a warning with its
    /// fingerprint). Throws netius::Error naming a file that cannot be used.
    std::shared_ptr<net::TlsContext> tls_context(
        const std::vector<std::string>& alpn = net::kHttp11Alpn) const;

  private:
    void add_http2(CLI::App& app);
};

/// A size or count limit option: a positive number, its default shown in --help.
template <typename T>
CLI::Option* add_limit(CLI::App& app, const std::string& name, T& field, const std::string& help) {
    return app.add_option(name, field, help)
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Limits");
}

/// A duration option in seconds (fractions allowed) bound to a milliseconds field.
CLI::Option* add_seconds(CLI::App& app, const std::string& name, std::chrono::milliseconds& field,
                         const std::string& help);

/// Adds a boolean flag that also reads `env`, accepting netius' spellings (1 true True yes on
/// / 0 false False no off); any other value is a usage error naming the variable.
CLI::Option* add_bool_flag(CLI::App& app, const std::string& names, bool& value,
                           const std::string& env, const std::string& help);

}  // namespace netius::cmd
