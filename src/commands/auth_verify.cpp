// `netius auth verify HASH [PASSWORD]` — exit 0 on match, 1 on mismatch.
#include <optional>

#include "commands/registry.hpp"
#include "crypto/password.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string hash;
    std::optional<std::string> password;
};

int run(const Options& o) {
    std::string password = o.password ? *o.password : read_secret_line("Password: ");
    if (!crypto::verify_password(o.hash, password)) throw Error("password does not match");
    return 0;
}

}  // namespace

void register_auth_verify(Cli& cli, CLI::App& auth) {
    auto o = std::make_shared<Options>();
    auto* c =
        cli.add_command(auth, "verify", "Check a password against a hash (exit 0 if it matches)",
                        [o] { return run(*o); });
    c->add_option("HASH", o->hash, "A hash from 'auth generate' or a netius password file")
        ->required();
    c->add_option("PASSWORD", o->password,
                  "Password to check; read from standard input (no echo) when omitted");
    c->footer(
        "Example:\n  netius auth verify \"$(netius auth generate secret)\" secret && echo ok");
}

}  // namespace netius::cmd
