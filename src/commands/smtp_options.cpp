#include "commands/smtp_options.hpp"

#include <unistd.h>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

class SmtpService final : public Service {
  public:
    SmtpService(net::EventLoop& loop, UniqueFd listener, const net::smtp::SmtpServerOptions& o,
                std::unique_ptr<net::smtp::MessageSink> sink,
                std::unique_ptr<net::smtp::Authenticator> auth)
        : sink_(std::move(sink)),
          auth_(std::move(auth)),
          server_(&loop, std::move(listener), o, *sink_, auth_.get()) {}
    void start() override { server_.start(); }
    void shutdown(std::chrono::milliseconds grace, std::function<void()> done) override {
        server_.shutdown(grace, std::move(done));
    }
    std::size_t connection_count() const override { return server_.connection_count(); }
    void reopen_logs() override { server_.reopen_access_log(); }

  private:
    std::unique_ptr<net::smtp::MessageSink> sink_;
    std::unique_ptr<net::smtp::Authenticator> auth_;
    net::smtp::SmtpServer server_;  // last: gone before what it uses
};

}  // namespace

void SmtpOptions::add_to(CLI::App& app) {
    app.add_option("--smtp-host", smtp_host,
                   "Our name in the greeting, EHLO and Received fields (default: the machine's)")
        ->envname("SMTP_HOST")
        ->group("SMTP");
    app.add_option("--auth-file", auth_file,
                   "Offer AUTH PLAIN/LOGIN for the 'user:hash' lines of FILE (hashes from "
                   "'netius auth generate': argon2id, digests or plain)")
        ->type_name("FILE")
        ->group("SMTP");
    app.add_flag("--require-auth", require_auth, "MAIL needs a successful AUTH first (530)")
        ->group("SMTP");
    app.add_flag("--allow-plain-auth", allow_plain_auth,
                 "Offer AUTH without TLS to every client (loopback clients always may)")
        ->group("SMTP");
    add_limit(app, "--max-size", limits.max_message_bytes,
              "Largest message in bytes, advertised as SIZE (552 past it)");
    add_limit(app, "--max-recipients", limits.max_recipients,
              "Recipients per message (452 past it)");
    add_limit(app, "--max-line", limits.max_command_line,
              "Longest command line with its CRLF (500 past it)");
    add_limit(app, "--max-errors", limits.max_errors,
              "Error replies a session may provoke before it is closed (421)");
    add_seconds(app, "--command-timeout", limits.command_timeout,
                "Time to wait for the next command (RFC 5321 4.5.3.2)");
    add_seconds(app, "--data-timeout", limits.data_timeout,
                "Time without progress while receiving a message");
}

std::string SmtpOptions::hostname() const {
    if (!smtp_host.empty()) return smtp_host;
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

net::smtp::SmtpServerOptions SmtpOptions::server_options(const ServerOptions& s) const {
    if (require_auth && auth_file.empty()) throw UsageError("--require-auth needs --auth-file");
    net::smtp::SmtpServerOptions o;
    o.limits = limits;
    o.hostname = hostname();
    o.allow_plain_auth = allow_plain_auth;
    o.require_auth = require_auth;
    o.allowed = net::AllowList::parse(s.allowed);
    o.proxy_protocol = s.proxy_protocol;
    o.access_log = s.access_log;
    o.tcp.backlog = s.backlog;
    if (s.ssl || !s.key_file.empty() || !s.cer_file.empty()) {
        o.tls = s.tls_context({});  // no ALPN: RFC 7301 names none for SMTP
        o.implicit_tls = s.ssl;
    }
    return o;
}

std::unique_ptr<Service> make_smtp_service(net::EventLoop& loop, UniqueFd listener,
                                           const net::smtp::SmtpServerOptions& options,
                                           std::unique_ptr<net::smtp::MessageSink> sink,
                                           std::unique_ptr<net::smtp::Authenticator> auth) {
    return std::make_unique<SmtpService>(loop, std::move(listener), options, std::move(sink),
                                         std::move(auth));
}

}  // namespace netius::cmd
