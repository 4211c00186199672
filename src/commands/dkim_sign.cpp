// `netius dkim sign MESSAGE KEY SELECTOR DOMAIN` — prepends a DKIM-Signature to a message.
// CLI adapter only; the work is crypto::dkim.
#include <optional>

#include "commands/key_options.hpp"
#include "commands/registry.hpp"
#include "crypto/dkim/algorithm.hpp"
#include "crypto/dkim/sign.hpp"
#include "crypto/keys.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string message, key, selector, domain;
    std::optional<std::string> identity;
    std::optional<std::string> headers;
    std::string canonicalization = "relaxed/relaxed";
    bool body_length = false;
    bool in_place = false;
    KeyOptions key_options;
};

// "From:To:Subject" or "From,To,Subject" (spaces ignored).
std::vector<std::string> split_headers(const std::string& list) {
    std::vector<std::string> names;
    std::string name;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        char c = i < list.size() ? list[i] : ':';
        if (c == ' ' || c == '\t') continue;
        if (c != ':' && c != ',') {
            name += c;
            continue;
        }
        if (name.empty()) throw UsageError("--headers: empty header name in '{}'", list);
        names.push_back(std::move(name));
        name.clear();
    }
    return names;
}

int run(const Options& o) {
    if (o.in_place && o.message == "-")
        throw UsageError("--in-place needs a MESSAGE file, not '-'");
    crypto::dkim::SignOptions so;
    so.domain = o.domain;
    so.selector = o.selector;
    so.identity = o.identity;
    so.canon = crypto::dkim::parse_canonicalization(o.canonicalization).value();
    so.body_length = o.body_length;
    if (o.headers) so.headers = split_headers(*o.headers);

    auto key = crypto::load_private_key(read_input(o.key), o.key, o.key_options.passphrase(o.key));
    try {
        crypto::dkim::algorithm_for_key(key.get());  // RSA >= 1024 bits or Ed25519
    } catch (const Error& e) {
        throw Error("'{}': {}", o.key, e.what());
    }
    const std::string message = read_input(o.message);
    const std::string name = o.message == "-" ? "<stdin>" : o.message;
    crypto::dkim::Message parsed;
    try {  // parsed here, once, so errors about the message name the file
        parsed = crypto::dkim::parse_message(message);
    } catch (const Error& e) {
        throw Error("'{}' {}", name, e.what());  // "'m.eml' line 3: ..."
    }
    try {
        crypto::dkim::require_from(parsed);
    } catch (const Error& e) {
        throw Error("'{}': {}", name, e.what());
    }
    const std::string signed_message =
        crypto::dkim::sign_field(parsed, key.get(), so).append(message);
    if (o.in_place) {
        write_output(o.message, signed_message, WriteOptions{.overwrite = true, .mode = 0644});
    } else {
        write_stdout(signed_message);
    }
    return 0;
}

}  // namespace

void register_dkim_sign(Cli& cli, CLI::App& dkim) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(dkim, "sign", "Sign a message: prepend a DKIM-Signature header",
                              [o] { return run(*o); });
    c->add_option("MESSAGE", o->message,
                  "RFC 5322 message (CRLF or LF line endings); '-' for standard input")
        ->required();
    c->add_option("KEY", o->key,
                  "Private key, RSA (rsa-sha256, >= 1024 bits) or Ed25519 (ed25519-sha256): PEM "
                  "or DER, PKCS#1 or PKCS#8, possibly encrypted")
        ->required();
    c->add_option("SELECTOR", o->selector,
                  "Selector (s=): the key is at SELECTOR._domainkey.DOMAIN")
        ->required();
    c->add_option("DOMAIN", o->domain, "Signing domain (d=)")->required();
    c->add_option("--identity", o->identity,
                  "Agent or user identifier (i=), [local-part]@DOMAIN or a subdomain of it")
        ->option_text("ADDRESS");
    c->add_option("--headers", o->headers,
                  "Header fields to sign (h=), e.g. From:To:Subject; must include From; default: "
                  "the RFC 6376 recommended fields present, From signed once more than present")
        ->option_text("LIST");
    c->add_option("--canonicalization", o->canonicalization,
                  "HEADER/BODY algorithms (c=): relaxed or simple; one word means WORD/simple")
        ->check([](const std::string& v) {
            return crypto::dkim::parse_canonicalization(v) ? std::string()
                                                           : "unknown canonicalization '" + v + "'";
        })
        ->capture_default_str();
    c->add_flag("--body-length", o->body_length,
                "Add l= (the signed body length); text appended later then keeps the signature "
                "valid, which also lets others append");
    c->add_flag("--in-place", o->in_place,
                "Rewrite MESSAGE atomically with the signature instead of printing it");
    o->key_options.add_to(*c);
    c->footer(
        "Examples:\n"
        "  netius dkim sign mail.eml mail.key mail example.com > signed.eml\n"
        "  netius dkim sign - ed.key ed example.com --canonicalization relaxed/simple < mail.eml");
}

}  // namespace netius::cmd
