// `netius serve relay` — `serve smtp` plus delivery to remote domains through a durable queue,
// MX lookup (or a smarthost), DKIM signing and bounces (netius-spec §8, issue 8). The work is
// src/net/relay and src/net/smtp/client; this file wires the options to it.
#include <ctime>
#include <optional>

#include "commands/registry.hpp"
#include "commands/relay_options.hpp"
#include "commands/relay_service.hpp"
#include "commands/smtp_options.hpp"
#include "net/relay/queue_listing.hpp"
#include "net/smtp/maildir_sink.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    ServerOptions server;
    SmtpOptions smtp;
    RelayOptions relay;
    std::string maildir = "maildir";
    bool single = false;
    std::string domains;
};

int list_queue(const Options& o) {
    net::relay::QueueStore store(o.relay.queue_dir);
    const auto entries = store.load(/*clean=*/false);
    write_stdout(net::relay::format_listing(entries, std::time(nullptr)));
    return 0;
}

int run(const Options& o) {
    if (o.relay.list_queue) return list_queue(o);
    // One process owns the queue: workers would deliver the same messages twice.
    if (o.server.workers > 1) throw UsageError("serve relay runs one worker (no --workers)");
    const net::smtp::SmtpServerOptions smtp = o.smtp.server_options(o.server);
    std::optional<net::AuthFile> users;
    if (!o.smtp.auth_file.empty()) users = net::AuthFile::load(o.smtp.auth_file);
    const auto domains = net::smtp::parse_domain_list(o.domains);
    net::relay::DkimSigner signer;
    for (const auto& spec : o.relay.dkim) signer.load(spec);
    const net::relay::RelayPolicy policy(domains, net::AllowList::parse(o.relay.relay_networks),
                                         users ? &*users : nullptr);
    net::smtp::MaildirStore maildir(o.maildir, o.single, smtp.hostname);
    const net::relay::QueueStore queue_store(o.relay.queue_dir);
    ServiceInfo info{"relay", o.server.ssl ? "smtps" : "smtp", 2525};
    info.storage = {storage_root(o.maildir, [&] { maildir.prepare(); }),
                    storage_root(o.relay.queue_dir, [&] { queue_store.prepare(); })};
    info.sandbox = writes_only_beneath(info.storage);

    RelayParts parts;
    parts.smtp = &smtp;
    parts.policy = &policy;
    parts.signer = signer.empty() ? nullptr : &signer;
    parts.queue_store = &queue_store;
    parts.maildir = &maildir;
    parts.users = users ? &*users : nullptr;
    parts.queue.retry = o.relay.retry_policy();
    parts.queue.local_domains = domains;
    parts.queue.hostname = smtp.hostname;
    parts.queue.postmaster = o.relay.postmaster_address(domains, smtp.hostname);
    parts.deliverer = o.relay.deliverer_options(smtp.hostname);
    info.supervised = false;  // one process owns the queue
    return run_service(info, o.server, [&](net::EventLoop& loop, UniqueFd listener) {
        return make_relay_service(loop, std::move(listener), parts);
    });
}

}  // namespace

void register_serve_relay(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "relay",
                              "SMTP relay: local Maildirs plus a durable queue for remote mail",
                              [o] { return run(*o); });
    o->server.add_to(*c, 25, false);
    o->smtp.add_to(*c);
    c->add_option("--maildir", o->maildir, "Root directory of the local recipients' Maildirs")
        ->type_name("DIR")
        ->capture_default_str()
        ->group("SMTP");
    c->add_flag("--single", o->single, "Store all local mail in the one Maildir at --maildir")
        ->group("SMTP");
    c->add_option("--domain", o->domains,
                  "Local domains (';'-separated): their mail goes to --maildir, the rest is "
                  "relayed")
        ->type_name("LIST")
        ->group("SMTP");
    o->relay.add_to(*c);
    c->footer(
        "Examples:\n"
        "  netius serve relay --port 2525 --domain example.com --auth-file users \\\n"
        "      --dkim example.com:mail:mail.key --queue-dir /var/spool/netius\n"
        "  netius serve relay --port 2525 --relay-networks 10.0.0.0/8 \\\n"
        "      --smarthost smtp.provider.net:587 --smarthost-auth-file provider.auth\n"
        "  netius serve relay --list-queue --queue-dir /var/spool/netius\n"
        "  kill -USR1 <pid>                     # retry everything queued now");
}

}  // namespace netius::cmd
