#pragma once
// The options every SMTP server command shares (`serve smtp`, later the relay): the host name,
// limits and timeouts, AUTH, and how ServerOptions' TLS settings become STARTTLS or implicit
// TLS; plus the Service that runs an SmtpServer under serve_runner.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "commands/serve_runner.hpp"
#include "commands/server_options.hpp"
#include "net/smtp/limits.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/smtp/smtp_server.hpp"

namespace netius::cmd {

struct SmtpOptions {
    std::string smtp_host;  // SMTP_HOST; empty = the machine's name
    net::smtp::Limits limits;
    std::string auth_file;
    bool require_auth = false;
    bool allow_plain_auth = false;

    void add_to(CLI::App& app);

    /// smtp_host, or the machine's name (gethostname) when it is empty.
    std::string hostname() const;

    /// The SmtpServer options: `--ssl` is implicit TLS (port 465 style); a key/certificate
    /// without `--ssl` offers STARTTLS. Throws netius::Error for unusable TLS files and
    /// netius::UsageError for --require-auth without --auth-file.
    net::smtp::SmtpServerOptions server_options(const ServerOptions& server) const;
};

/// A worker's SMTP server with its sink and authenticator (null: no AUTH), for run_service.
std::unique_ptr<Service> make_smtp_service(net::EventLoop& loop, UniqueFd listener,
                                           const net::smtp::SmtpServerOptions& options,
                                           std::unique_ptr<net::smtp::MessageSink> sink,
                                           std::unique_ptr<net::smtp::Authenticator> auth);

}  // namespace netius::cmd
