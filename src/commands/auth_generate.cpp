// `netius auth generate [PASSWORD] [TYPE] [SALT]` — CLI adapter; the work is crypto/password.
#include <optional>

#include "commands/registry.hpp"
#include "crypto/password.hpp"
#include "util/files.hpp"
#include "util/secret.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::optional<std::string> password;
    std::string type = "argon2id";
    std::optional<std::string> salt;
};

int run(const Options& o) {
    std::string password = o.password ? *o.password : read_secret_line("Password: ");
    write_stdout(crypto::generate_password(password, o.type, o.salt) + "\n");
    return 0;
}

}  // namespace

void register_auth_generate(Cli& cli, CLI::App& auth) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(auth, "generate", "Hash a password for a netius password file",
                              [o] { return run(*o); });
    c->add_option("PASSWORD", o->password,
                  "Password to hash; read from standard input (no echo) when omitted");
    c->add_option("TYPE", o->type,
                  "argon2id (default), md5, sha1, sha224, sha256, sha384, sha512, sha3_224, "
                  "sha3_256, sha3_384, sha3_512, blake2b, blake2s or plain")
        ->capture_default_str();
    c->add_option("SALT", o->salt,
                  "Salt for digest types (netius-compatible output); random when omitted");
    c->footer(
        "Examples:\n"
        "  netius auth generate                      # prompt, print an argon2id hash\n"
        "  netius auth generate secret sha256 netius # the netius format, reproducibly");
}

}  // namespace netius::cmd
