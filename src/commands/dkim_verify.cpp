// `netius dkim verify MESSAGE` — checks every DKIM-Signature, one line per signature; exit 0
// only when all pass. Keys come from --key FILE or DNS TXT (c-ares). CLI adapter only.
#include <chrono>
#include <cstdlib>
#include <optional>

#include "commands/registry.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/message.hpp"
#include "crypto/dkim/verify.hpp"
#include "crypto/keys.hpp"
#include "net/resolver.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string message;
    std::optional<std::string> key;
    std::vector<std::string> nameservers;
    double timeout = 5;
};

// The one key record a --key file stands for: a PEM/DER key (public or private) becomes the
// record `dkim generate` would publish; a TXT record (bare or zone-file line) is used as is.
std::string record_from_key_file(const std::string& path) {
    const std::string data = read_input(path);
    if (data.find("-----BEGIN") != std::string::npos || data.find("p=") == std::string::npos)
        return crypto::dkim::key_record_text(crypto::load_key(data, path).get());
    std::string reason;
    try {
        std::string record = crypto::dkim::key_record_from_text(data);
        auto parsed = crypto::dkim::parse_key_record(record);
        if (std::holds_alternative<crypto::dkim::KeyRecord>(parsed)) return record;
        reason = std::get<crypto::dkim::KeyRecordError>(parsed).reason;
    } catch (const Error& e) {
        reason = e.what();
    }
    try {  // a DER key whose bytes happen to contain "p="
        return crypto::dkim::key_record_text(crypto::load_key(data, path).get());
    } catch (const Error&) {
        throw Error("'{}' is not a usable DKIM key record: {}", path, reason);
    }
}

crypto::dkim::KeyLookup make_lookup(const Options& o) {
    if (o.key) {
        return [record = record_from_key_file(*o.key)](std::string_view, std::string_view) {
            return std::vector<std::string>{record};
        };
    }
    net::ResolverOptions ro;
    ro.nameservers = o.nameservers;
    ro.tries = 2;
    ro.timeout = std::chrono::milliseconds(static_cast<long>(o.timeout * 1000 / ro.tries));
    return [ro](std::string_view selector, std::string_view domain) {
        return net::resolve_txt(crypto::dkim::key_record_name(selector, domain), ro);
    };
}

int run(const Options& o) {
    // Flags beat the environment; NAMESERVERS from the environment is simply unused with --key.
    if (o.key && !o.nameservers.empty() && !std::getenv("NAMESERVERS"))
        throw UsageError("--key and --nameserver exclude each other");
    const auto lookup = make_lookup(o);
    const std::string message = read_input(o.message);
    std::vector<crypto::dkim::VerifyResult> results;
    try {
        results = crypto::dkim::verify_message(message, lookup);
    } catch (const Error& e) {
        throw Error("'{}' {}", o.message == "-" ? "<stdin>" : o.message, e.what());
    }
    if (results.empty()) throw Error("no DKIM-Signature header");
    std::string out;
    bool all_pass = true;
    for (const auto& r : results) {
        out += "d=" + r.domain + " s=" + r.selector + ": " +
               (r.pass ? "pass" : "fail (" + r.reason + ")") + "\n";
        all_pass = all_pass && r.pass;
    }
    write_stdout(out);
    if (!all_pass) throw ExitStatus{1};
    return 0;
}

}  // namespace

void register_dkim_verify(Cli& cli, CLI::App& dkim) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(dkim, "verify",
                              "Verify every DKIM-Signature of a message (exit 0 if all pass)",
                              [o] { return run(*o); });
    c->add_option("MESSAGE", o->message, "RFC 5322 message; '-' for standard input")->required();
    c->add_option("--key", o->key,
                  "Use this key for every signature instead of DNS: a PEM/DER public or private "
                  "key, or a TXT record ('v=DKIM1; k=...; p=...' or the line 'dkim generate' "
                  "prints)")
        ->option_text("FILE");
    c->add_option("--nameserver", o->nameservers,
                  "DNS server for the key lookups, IP[:PORT] (repeatable; ';'-separated in "
                  "NAMESERVERS); default: /etc/resolv.conf")
        ->envname("NAMESERVERS")
        ->delimiter(';')
        ->option_text("IP[:PORT]");
    c->add_option("--timeout", o->timeout, "Give up on a DNS lookup after SECONDS (default 5)")
        ->check(CLI::PositiveNumber)
        ->option_text("SECONDS");
    c->footer(
        "Examples:\n"
        "  netius dkim verify signed.eml                        # keys from DNS\n"
        "  netius dkim verify signed.eml --key mail.key         # key from a file");
}

}  // namespace netius::cmd
