#include "commands/server_options.hpp"

#include <array>
#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

constexpr std::array<std::string_view, 10> kBoolWords = {"1", "true",  "True",  "yes", "on",
                                                         "0", "false", "False", "no",  "off"};

}  // namespace

CLI::Option* add_seconds(CLI::App& app, const std::string& name, std::chrono::milliseconds& field,
                         const std::string& help) {
    return app
        .add_option_function<double>(
            name,
            [&field](double s) { field = std::chrono::milliseconds(static_cast<long>(s * 1000)); },
            help + " (seconds)")
        ->default_str(fmt::format("{}", static_cast<double>(field.count()) / 1000))
        ->check(CLI::PositiveNumber)
        ->group("Limits");
}

CLI::Option* add_bool_flag(CLI::App& app, const std::string& names, bool& value,
                           const std::string& env, const std::string& help) {
    return app.add_flag(names, value, help)
        ->envname(env)
        ->default_str(value ? "true" : "false")  // for `config show` and the man pages
        ->check([env](const std::string& v) {
            for (auto w : kBoolWords)
                if (v == w) return std::string();
            return env + " must be 1, true, yes, on, 0, false, no or off, not '" + v + "'";
        });
}

void ServerOptions::add_to(CLI::App& app, std::uint16_t default_port, bool http,
                           RequestBodies bodies) {
    port = default_port;
    app.add_option("--host", host, "Address to listen on; 'unix' means --unix")
        ->envname("HOST")
        ->capture_default_str()
        ->group("Listen");
    app.add_option("--port", port, "TCP port to listen on (0 picks a free port)")
        ->envname("PORT")
        ->capture_default_str()
        ->group("Listen");
    add_bool_flag(app, "--ipv6", ipv6, "IPV6", "Listen on IPv6 (default host ::1)")
        ->group("Listen");
    app.add_option("--unix", unix_path, "Listen on this unix socket path instead of TCP")
        ->envname("UNIX_PATH")
        ->type_name("PATH")
        ->group("Listen");
    app.add_option("--backlog", backlog, "listen() backlog")
        ->envname("BACKLOG")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Listen");
    add_bool_flag(app, "--ssl", ssl, "SSL",
                  "Serve TLS; without --key-file/--cer-file an ephemeral self-signed certificate")
        ->group("TLS");
    app.add_option("--key-file", key_file, "TLS private key (PEM)")
        ->envname("KEY_FILE")
        ->type_name("FILE")
        ->group("TLS");
    app.add_option("--cer-file", cer_file, "TLS certificate chain (PEM)")
        ->envname("CER_FILE")
        ->type_name("FILE")
        ->group("TLS");
    app.add_option("--workers", workers,
                   "Worker processes accepting on the one listening socket, under a master process")
        ->envname("CHILDREN")
        ->capture_default_str()
        ->check(CLI::Range(0, 1024))
        ->group("Server");
    app.add_option("--access-log", access_log,
                   "Append a line per request to FILE ('-' = stdout; HTTP: Combined Log Format, "
                   "SMTP: one per message); SIGUSR1 reopens it")
        ->envname("COMMON_LOG")
        ->type_name("FILE")
        ->group("Server");
    app.add_option("--allowed", allowed,
                   "Only accept clients from these addresses/CIDR ranges (';'-separated)")
        ->envname("ALLOWED")
        ->type_name("LIST")
        ->group("Server");
    app.add_flag("--proxy-protocol", proxy_protocol,
                 "Connections start with a HAProxy PROXY v1/v2 header; log and filter the "
                 "client address it carries")
        ->group("Server");
    app.add_option("--user", user,
                   "Run the workers as USER[:GROUP] (name or number) once the port is bound and "
                   "keys and logs are open; the master keeps root to reload (started as root "
                   "without it: nobody for hello and file, root with a warning otherwise)")
        ->envname("SETUID")
        ->type_name("USER[:GROUP]")
        ->group("Server");
    app.add_flag("--no-sandbox", no_sandbox,
                 "Do not confine the workers' file access with Landlock (serve file: reads "
                 "beneath --base-path only; serve hello: no files; serve smtp and relay: "
                 "writes beneath their Maildir and queue only)")
        ->group("Server");
    add_bool_flag(app, "--io-uring,!--no-io-uring", io_uring, "IO_URING",
                  "Batch the sockets' reads and writes through io_uring, one system call for "
                  "many connections (default on; without a usable io_uring, one call each)")
        ->group("Server");
    app.add_option("--shutdown-timeout", shutdown_timeout,
                   "Seconds in-flight responses get to finish after SIGTERM/SIGINT")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Server");
    if (!http) return;

    add_bool_flag(app, "--keep-alive,!--no-keep-alive", keep_alive, "KEEP_ALIVE",
                  "Keep connections open between requests (default on)")
        ->group("Server");

    app.add_option("--encoding", encoding,
                   "Response encoding: plain, chunked, or gzip/deflate when the client accepts it")
        ->envname("ENCODING")
        ->capture_default_str()
        ->check(CLI::IsMember({"plain", "chunked", "gzip", "deflate"}))
        ->group("Server");
    add_limit(app, "--max-head-bytes", limits.max_head_bytes, "Largest request head (431 past it)");
    add_limit(app, "--max-headers", limits.max_header_count, "Most header fields (431 past it)");
    add_limit(app, "--max-target-bytes", limits.max_target_bytes,
              "Longest request target (414 past it)");
    // 0 means no limit: the one limit whose 0 is a value (a limit of no body is no use).
    if (bodies == RequestBodies::kStreamed) limits.max_body_bytes = 0;
    app.add_option("--max-body-bytes", limits.max_body_bytes,
                   bodies == RequestBodies::kStreamed
                       ? "Largest request body (413 past it); 0, the default: no limit, the "
                         "body streams on as it arrives (never held whole)"
                       : "Largest request body, which the server holds in memory until it is "
                         "complete (413 past it; 0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Limits");
    add_limit(app, "--max-pipelined", limits.max_pipelined_requests,
              "Pipelined requests answered per batch; then reading waits until they are written");
    add_seconds(app, "--header-timeout", limits.header_read_timeout,
                "Time to receive a whole request head");
    add_seconds(app, "--idle-timeout", limits.keep_alive_timeout,
                "Idle time allowed between requests");
    add_seconds(app, "--body-timeout", limits.body_read_timeout,
                "Time without progress allowed while reading a body");
    add_seconds(app, "--write-timeout", limits.write_timeout,
                "Time without progress allowed while writing a response");
    add_http2(app);
}

void ServerOptions::add_http2(CLI::App& app) {
    add_bool_flag(app, "--http2,!--no-http2", http2.enabled, "HTTP2",
                  "Speak HTTP/2: h2 by TLS ALPN, h2c with prior knowledge on cleartext")
        ->group("HTTP/2");
    add_bool_flag(app, "--safe", safe, "SAFE", "netius' safe mode: HTTP/1.1 only (--no-http2)")
        ->group("HTTP/2");
    auto setting = [&app](const std::string& name, std::uint32_t& field, const std::string& env,
                          std::uint32_t min, std::uint32_t max, const std::string& help) {
        app.add_option(name, field, help)
            ->envname(env)
            ->capture_default_str()
            ->check(CLI::Range(min, max))
            ->group("HTTP/2");
    };
    setting("--http2-header-table-size", http2.header_table_size, "SETTINGS_HEADER_TABLE_SIZE", 0,
            1u << 20, "HPACK dynamic table size clients may use");
    setting("--http2-max-concurrent-streams", http2.max_concurrent_streams,
            "SETTINGS_MAX_CONCURRENT_STREAMS", 1, 10'000, "Streams a client may have open at once");
    setting("--http2-initial-window-size", http2.initial_window_size,
            "SETTINGS_INITIAL_WINDOW_SIZE", 1024, 0x7fffffff,
            "Request content a client may send per stream before we grant more");
    setting("--http2-max-frame-size", http2.max_frame_size, "SETTINGS_MAX_FRAME_SIZE", 16384,
            16777215, "Largest frame payload accepted");
    setting("--http2-max-header-list-size", http2.max_header_list_size,
            "SETTINGS_MAX_HEADER_LIST_SIZE", 1024, 16u << 20,
            "Largest request header list (RFC 9113 6.5.2 size; 431 past it)");
}

std::vector<std::string> ServerOptions::http_alpn() const {
    if (http2.enabled && !safe) return {"h2", "http/1.1"};
    return net::kHttp11Alpn;
}

net::InetAddress ServerOptions::listen_address() const {
    if (!unix_path.empty()) return net::InetAddress::unix_path(unix_path);
    if (host == "unix") throw UsageError("HOST=unix needs --unix PATH (UNIX_PATH)");
    std::string h = host;
    if (ipv6 && h == "127.0.0.1") h = "::1";  // IPV6=1 alone means the IPv6 loopback
    try {
        return net::InetAddress::parse(h, port);
    } catch (const Error& e) {
        throw UsageError("--host: {}", e.what());
    }
}

std::shared_ptr<net::TlsContext> ServerOptions::tls_context(
    const std::vector<std::string>& alpn) const {
    if (key_file.empty() && cer_file.empty()) {
        auto tls = net::TlsContext::self_signed_server(alpn);
        spdlog::warn(
            "--ssl without --key-file/--cer-file: serving an ephemeral self-signed "
            "certificate (SHA-256 {})",
            tls->certificate_fingerprint());
        return tls;
    }
    return net::TlsContext::server(key_file.empty() ? cer_file : key_file,
                                   cer_file.empty() ? key_file : cer_file, alpn);
}

}  // namespace netius::cmd
