// `netius smtp send`: reads or composes the message, signs it, hands it to a Deliverer (one
// delivery per recipient domain, or one to --server) and turns the outcomes into stderr lines
// and an exit status. No SMTP here: the dialogue is net::smtp::ClientSession's.
#include "commands/smtp_send_run.hpp"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "commands/smtp_send_message.hpp"
#include "net/event_loop.hpp"
#include "net/relay/outbound_message.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/secret.hpp"

namespace netius::cmd {
namespace {

using namespace std::chrono_literals;
using net::smtp::TranscriptLine;

bool ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

// "HOST", "HOST:PORT", "[v6]" or "[v6]:PORT".
net::smtp::SmarthostOptions parse_server(const std::string& spec, std::uint16_t default_port) {
    net::smtp::SmarthostOptions s;
    s.port = default_port;
    std::string port;
    if (!spec.empty() && spec[0] == '[') {
        const std::size_t close = spec.find(']');
        if (close == std::string::npos) throw UsageError("--server: no ']' in '{}'", spec);
        s.host = spec.substr(1, close - 1);
        if (close + 1 < spec.size()) {
            if (spec[close + 1] != ':') throw UsageError("--server: expected [IPv6]:PORT");
            port = spec.substr(close + 2);
        }
    } else if (const std::size_t colon = spec.find(':'); colon != std::string::npos) {
        if (spec.find(':', colon + 1) != std::string::npos)
            throw UsageError("--server: write an IPv6 address as [ADDR]:PORT");
        s.host = spec.substr(0, colon);
        port = spec.substr(colon + 1);
    } else {
        s.host = spec;
    }
    if (s.host.empty()) throw UsageError("--server: expected HOST[:PORT], got '{}'", spec);
    if (!spec.empty() && (spec.back() == ':' || !port.empty())) {
        auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), s.port);
        if (ec != std::errc() || p != port.data() + port.size() || s.port == 0)
            throw UsageError("--server: bad port in '{}'", spec);
    }
    return s;
}

std::string password_for(const SendOptions& o, bool message_on_stdin) {
    if (!o.auth_password_file.empty()) return read_secret_file(o.auth_password_file);
    if (const char* env = std::getenv("NETIUS_SMTP_PASSWORD")) return env;
    if (message_on_stdin || !::isatty(STDIN_FILENO))
        throw UsageError(
            "--auth-user needs --auth-password-file, NETIUS_SMTP_PASSWORD or a "
            "terminal to prompt on");
    return read_secret_line("Password for " + o.auth_user + ": ");
}

std::string message_content(const SendOptions& o) {
    if (!o.args.empty()) {
        if (o.subject || o.body || !o.headers.empty())
            throw UsageError("--subject, --body and --header compose a message: not with MESSAGE");
        return to_crlf(read_input(o.args[0]));
    }
    Composition c{o.from, o.to, o.subject.value_or(""), o.body.value_or(""), o.headers};
    for (const std::string& h : o.headers)
        if (std::string why = check_header_field(h); !why.empty())
            throw UsageError("--header '{}': {}", h, why);
    if (c.body.size() > 1 && c.body[0] == '@') c.body = read_input(c.body.substr(1));
    std::random_device rd;
    const std::string id = fmt::format("{:08x}{:08x}", rd(), rd());
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return compose_message(c, id, std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

void print_transcript(TranscriptLine kind, std::string_view line) {
    const char* prefix = kind == TranscriptLine::kClient   ? " -> "
                         : kind == TranscriptLine::kServer ? "<-  "
                                                           : "=== ";
    std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(line.size()), line.data());
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
    return name;
}

}  // namespace

int run_smtp_send(SendOptions o) {
    if (o.args.size() > 1) {  // netius' MESSAGE FROM TO [HOST PORT USER PASS STLS]
        if (!o.from.empty() || !o.to.empty() || !o.server.empty())
            throw UsageError("give FROM and TO either as arguments or as --from/--to, not both");
        NetiusArgs n = parse_netius_args({o.args.begin() + 1, o.args.end()});
        o.from = n.from;
        o.to = n.to;
        if (n.server) o.server = *n.server;
        if (n.user && o.auth_user.empty()) o.auth_user = *n.user;
        if (n.starttls) {  // netius' STLS: STARTTLS required, the certificate unchecked
            o.starttls = true;
            o.insecure = o.insecure || o.cacert.empty();
        }
        o.args.resize(1);
    }
    if (o.from.empty()) throw UsageError("--from is required (the envelope sender)");
    if (o.to.empty()) throw UsageError("--to is required (at least one recipient)");
    if (o.server.empty() && (o.tls || !o.auth_user.empty()))
        throw UsageError("--tls and --auth-user need --server (a submission server)");
    if (!o.starttls && !o.tls && (!o.cacert.empty() || o.insecure))
        throw UsageError(
            "--cacert and --insecure go with --starttls or --tls (opportunistic "
            "TLS never checks the certificate)");
    const auto groups = by_domain(o.to);
    const bool on_stdin = !o.args.empty() && o.args[0] == "-";

    std::string content = message_content(o);
    if (!o.dkim.empty()) {
        net::relay::DkimSigner signer;
        signer.load(o.dkim);
        std::string field = signer.sign(content);
        if (field.empty())
            throw UsageError("--dkim: the message's From domain is not the signing domain");
        content.insert(0, field);
    }

    net::smtp::DelivererOptions d;
    d.helo_name = o.helo.empty() ? host_name() : o.helo;
    d.resolver.nameservers = o.nameservers;
    d.mx_port = o.mx_port;
    d.require_tls = o.starttls || o.tls;
    d.tls_verify = d.require_tls && !o.insecure;
    d.ca_file = o.cacert;
    if (!o.server.empty()) {
        d.smarthost = parse_server(o.server, o.tls ? 465 : o.auth_user.empty() ? 25 : 587);
        d.smarthost->implicit_tls = o.tls;
        if (!o.auth_user.empty()) {
            d.smarthost->user = o.auth_user;
            d.smarthost->password = password_for(o, on_stdin);
        }
    }
    if (o.verbose) d.transcript = print_transcript;
    d.connect_timeout = d.command_timeout =
        std::chrono::milliseconds(static_cast<long>(o.timeout * 1000));
    d.idle_timeout = 0ms;

    net::EventLoop loop;
    std::optional<net::smtp::Deliverer> deliverer;
    try {
        deliverer.emplace(&loop, d);
    } catch (const Error& e) {
        throw UsageError("{}", e.what());  // a bad --nameserver or --cacert
    }
    const auto shared = std::make_shared<const std::string>(std::move(content));
    const bool eight_bit = !ascii(*shared);
    std::vector<std::vector<net::smtp::RecipientOutcome>> reports(groups.size());
    std::size_t remaining = groups.size();
    auto wait_quit = [&] {  // the QUITs answered (bounded by the command timeout), then stop
        loop.run_every(20ms, [&] {
            if (deliverer->active() == 0) loop.quit();
        });
    };
    auto deliver = [&](std::size_t i, std::string domain, std::vector<std::string> rcpts) {
        net::smtp::Outbound m;
        m.domain = std::move(domain);
        m.sender = o.from;
        m.smtputf8 = !ascii(o.from);
        for (const std::string& r : rcpts) m.smtputf8 = m.smtputf8 || !ascii(r);
        m.recipients = std::move(rcpts);
        m.content = shared;
        m.eight_bit = eight_bit;
        deliverer->deliver(std::move(m), [&, i](net::smtp::DeliveryReport r) {
            reports[i] = std::move(r.recipients);
            if (--remaining == 0) wait_quit();
        });
    };
    if (d.smarthost) {  // every recipient in one transaction
        remaining = 1;
        reports.resize(1);
        deliver(0, groups[0].first, o.to);
    } else {
        for (std::size_t i = 0; i < groups.size(); ++i)
            deliver(i, groups[i].first, groups[i].second);
    }
    loop.loop();

    std::vector<net::smtp::RecipientOutcome> outcomes;
    for (auto& r : reports) outcomes.insert(outcomes.end(), r.begin(), r.end());
    for (const net::smtp::RecipientOutcome& r : outcomes)
        if (r.fate != net::smtp::RecipientFate::kDelivered)
            std::fprintf(stderr, "netius: smtp send: %s: %s\n", r.recipient.c_str(),
                         r.diagnostic.c_str());
    if (int status = send_exit_status(outcomes)) throw ExitStatus{status};
    return 0;
}

}  // namespace netius::cmd
