// `netius rsa convert PRIVATE PUBLIC [--force]` (netius: `private_to_public`): writes the
// SubjectPublicKeyInfo PEM, byte-identical to `openssl pkey -in PRIVATE -pubout`.
#include "commands/key_options.hpp"
#include "commands/registry.hpp"
#include "crypto/keys.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string private_file;
    std::string public_file;
    bool force = false;
    KeyOptions key;
};

int run(const Options& o) {
    auto key = crypto::load_private_key(read_input(o.private_file), o.private_file,
                                        o.key.passphrase(o.private_file));
    require_rsa(key.get(), o.private_file);
    crypto::check_key(key.get(), o.private_file);
    write_output(o.public_file, crypto::public_key_pem(key.get()),
                 WriteOptions{.overwrite = o.force, .mode = 0644});
    return 0;
}

}  // namespace

void register_rsa_convert(Cli& cli, CLI::App& rsa) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(rsa, "convert", "Write the public key (SPKI PEM) of a private key",
                              [o] { return run(*o); });
    c->alias("private_to_public");
    c->add_option("PRIVATE", o->private_file,
                  "Private key: PEM or DER, PKCS#1 or PKCS#8 (possibly encrypted); '-' for "
                  "standard input")
        ->required();
    c->add_option("PUBLIC", o->public_file,
                  "Where to write the public key PEM ('-' for standard output); written "
                  "atomically")
        ->required();
    c->add_flag("--force", o->force, "Replace PUBLIC if it already exists");
    o->key.add_to(*c);
    c->footer(
        "Example:\n"
        "  netius rsa convert key.pem key.pub   # same bytes as: openssl pkey -in key.pem -pubout");
}

}  // namespace netius::cmd
