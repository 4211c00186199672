// `netius dkim generate DOMAIN` — a new DKIM key pair: the DNS TXT record line to publish and
// the private key PEM (or the key written to --key-out). CLI adapter; the work is crypto.
#include <sys/stat.h>

#include <cerrno>
#include <ctime>
#include <optional>

#include "commands/registry.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/keys.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string domain;
    std::optional<std::string> selector;
    std::optional<std::string> suffix;
    std::string type = "rsa";
    std::optional<int> bits;
    std::optional<std::string> key_out;
    bool force = false;
};

// netius' selector: the UTC time as YYYYmmddHHMMSS, then ".SUFFIX" when one is given.
std::string default_selector(const std::optional<std::string>& suffix) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &utc);
    std::string s = buf;
    if (suffix && !suffix->empty()) s += "." + *suffix;
    return s;
}

int run(const Options& o) {
    if (o.type == "ed25519" && o.bits) throw UsageError("--bits applies to RSA keys only");
    const std::string selector = o.selector ? *o.selector : default_selector(o.suffix);
    if (!crypto::dkim::valid_dns_name(o.domain)) throw Error("invalid domain '{}'", o.domain);
    if (!crypto::dkim::valid_dns_name(selector)) throw Error("invalid selector '{}'", selector);
    crypto::PKeyPtr key = o.type == "ed25519" ? crypto::generate_ed25519_key()
                                              : crypto::generate_rsa_key(o.bits.value_or(2048));
    const std::string record =
        crypto::dkim::txt_record_line(selector, o.domain, crypto::dkim::key_record_text(key.get()));
    if (o.key_out) {
        // write_output keeps the mode of a file it replaces: make a replaced file private first.
        if (o.force && ::chmod(o.key_out->c_str(), 0600) != 0 && errno != ENOENT)
            throw Error(errno_message(fmt::format("cannot chmod '{}'", *o.key_out), errno));
        // The key first: a record without its key would be useless, the reverse is harmless.
        write_output(*o.key_out, crypto::private_key_pem(key.get()),
                     WriteOptions{.overwrite = o.force, .mode = 0600});
        write_stdout(record + "\n");
    } else {
        write_stdout(record + "\n" + crypto::private_key_pem(key.get()));
    }
    return 0;
}

}  // namespace

void register_dkim_generate(Cli& cli, CLI::App& dkim) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(
        dkim, "generate", "Create a DKIM key pair: print the DNS TXT record and the private key",
        [o] { return run(*o); });
    c->add_option("DOMAIN", o->domain, "Signing domain (d=) the record is published under")
        ->required();
    auto* sel = c->add_option("--selector", o->selector,
                              "Selector (s=); default: the UTC time as YYYYmmddHHMMSS");
    auto* suf =
        c->add_option("--suffix", o->suffix, "Append .SUFFIX to the default time-based selector");
    sel->excludes(suf);
    c->add_option("--type", o->type, "Key type: rsa (rsa-sha256) or ed25519 (RFC 8463)")
        ->check(CLI::IsMember({"rsa", "ed25519"}))
        ->capture_default_str();
    c->add_option("--bits", o->bits, "RSA key size in bits (default 2048; RFC 8301 needs >= 1024)")
        ->check(CLI::Range(1024, 16384));
    c->add_option("--key-out", o->key_out,
                  "Write the private key PEM to FILE (mode 0600, atomically) and print only the "
                  "record")
        ->option_text("FILE");
    c->add_flag("--force", o->force, "Let --key-out replace an existing file");
    c->footer(
        "Examples:\n"
        "  netius dkim generate example.com --selector mail --key-out mail.key\n"
        "  netius dkim generate example.com --type ed25519 --suffix ed");
}

}  // namespace netius::cmd
