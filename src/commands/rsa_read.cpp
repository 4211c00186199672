// `netius rsa read FILE [--public] [--json]` (netius: `read_private`, `read_public`): an RSA
// key's components in decimal, under netius' names (netius-spec §10.3).
#include "commands/key_options.hpp"
#include "commands/registry.hpp"
#include "crypto/keys.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string file;
    bool public_only = false;
    bool json = false;
    KeyOptions key;
};

std::string format_text(const std::vector<std::pair<std::string, std::string>>& components) {
    std::string out;
    for (const auto& [name, value] : components)
        out.append(name).append(": ").append(value).push_back('\n');
    return out;
}

// Decimal strings are valid JSON numbers as they are; names are fixed identifiers.
std::string format_json(const std::vector<std::pair<std::string, std::string>>& components) {
    std::string out = "{";
    for (const auto& [name, value] : components)
        out.append(out.size() > 1 ? ", \"" : "\"").append(name).append("\": ").append(value);
    return out + "}\n";
}

int run(const Options& o) {
    auto key = crypto::load_key(read_input(o.file), o.file, o.key.passphrase(o.file));
    require_rsa(key.get(), o.file);
    crypto::check_key(key.get(), o.file);
    auto components = crypto::rsa_components(key.get(), !o.public_only);
    write_stdout(o.json ? format_json(components) : format_text(components));
    return 0;
}

CLI::App* add_read(Cli& cli, CLI::App& rsa, const std::string& name, const std::string& description,
                   bool public_only) {
    auto o = std::make_shared<Options>();
    o->public_only = public_only;
    auto* c = cli.add_command(rsa, name, description, [o] { return run(*o); });
    c->add_option("FILE", o->file,
                  "Key file: PEM or DER, PKCS#1 or PKCS#8 private key, SubjectPublicKeyInfo or "
                  "PKCS#1 public key; '-' for standard input")
        ->required();
    if (!public_only)
        c->add_flag("--public", o->public_only, "Print only bits, modulus and public_exponent");
    c->add_flag("--json", o->json, "Print one JSON object (integers as JSON numbers)");
    o->key.add_to(*c);
    return c;
}

}  // namespace

void register_rsa_read(Cli& cli, CLI::App& rsa) {
    auto* read = add_read(cli, rsa, "read", "Print an RSA key's components in decimal", false);
    read->alias("read_private");
    read->footer(
        "Prints 'name: decimal' lines sorted by name: bits coefficient exponent_1 exponent_2\n"
        "modulus prime_1 prime_2 private_exponent public_exponent version (public keys and\n"
        "--public: bits modulus public_exponent).\n"
        "Examples:\n"
        "  netius rsa read key.pem\n"
        "  netius rsa read key.pem --public --json\n"
        "  netius rsa read secret.pem --passphrase-file pass.txt");
    // CLI11 aliases cannot imply a flag, so netius' `read_public` is a command of its own.
    add_read(cli, rsa, "read_public", "Same as 'read --public' (netius spelling)", true);
}

}  // namespace netius::cmd
