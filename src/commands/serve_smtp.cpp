// `netius serve smtp` — an ESMTP server that stores every accepted message durably in
// Maildirs (netius-spec §7, issue 7): the protocol is src/net/smtp, this file only wires the
// options to it.
#include <optional>

#include "commands/registry.hpp"
#include "commands/serve_runner.hpp"
#include "commands/smtp_options.hpp"
#include "net/smtp/maildir_sink.hpp"
#include "net/smtp/password_authenticator.hpp"

namespace netius::cmd {
namespace {

struct Options {
    ServerOptions server;
    SmtpOptions smtp;
    std::string maildir = "maildir";
    bool single = false;
    std::string domains;
};

int run(const Options& o) {
    const net::smtp::SmtpServerOptions smtp = o.smtp.server_options(o.server);
    std::optional<net::AuthFile> users;
    if (!o.smtp.auth_file.empty()) users = net::AuthFile::load(o.smtp.auth_file);
    net::smtp::MaildirStore store(o.maildir, o.single, smtp.hostname);
    ServiceInfo info{"smtp", o.server.ssl ? "smtps" : "smtp", 2525};
    info.storage = {storage_root(o.maildir, [&] { store.prepare(); })};  // one error line
    info.sandbox = writes_only_beneath(info.storage);
    const auto domains = net::smtp::parse_domain_list(o.domains);
    return run_service(info, o.server, [&](net::EventLoop& loop, UniqueFd listener) {
        std::unique_ptr<net::smtp::Authenticator> auth;
        if (users) auth = std::make_unique<net::smtp::PasswordAuthenticator>(&loop, *users);
        return make_smtp_service(loop, std::move(listener), smtp,
                                 std::make_unique<net::smtp::MaildirSink>(&loop, store, domains),
                                 std::move(auth));
    });
}

}  // namespace

void register_serve_smtp(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "smtp", "ESMTP server storing mail durably in Maildirs",
                              [o] { return run(*o); });
    o->server.add_to(*c, 25, false);
    o->smtp.add_to(*c);
    c->add_option("--maildir", o->maildir,
                  "Root directory: one Maildir per recipient address under it")
        ->type_name("DIR")
        ->capture_default_str()
        ->group("SMTP");
    c->add_flag("--single", o->single, "Store every message in the one Maildir at --maildir")
        ->group("SMTP");
    c->add_option("--domain", o->domains,
                  "Accept only recipients in these domains (';'-separated; default: any)")
        ->type_name("LIST")
        ->group("SMTP");
    c->footer(
        "Examples:\n"
        "  netius serve smtp --port 2525                  # mail sink: ./maildir/<rcpt>/new/\n"
        "  netius serve smtp --port 2525 --domain example.com --single --maildir /srv/mail\n"
        "  netius serve smtp --port 587 --key-file k.pem --cer-file c.pem \\\n"
        "      --auth-file users --require-auth           # STARTTLS + AUTH\n"
        "  swaks --server 127.0.0.1:2525 --to joe@example.com");
}

}  // namespace netius::cmd
