#include "commands/key_options.hpp"

#include <unistd.h>

#include <cstring>

#include "util/error.hpp"
#include "util/secret.hpp"

namespace netius::cmd {

void KeyOptions::add_to(CLI::App& command) {
    command
        .add_option("--passphrase-file", passphrase_file,
                    "Read the passphrase of an encrypted key from the first line of FILE "
                    "(default: prompt without echo when standard input is a terminal)")
        ->option_text("FILE");
}

crypto::PassphraseFn KeyOptions::passphrase(const std::string& key_name) const {
    return [file = passphrase_file, key_name]() -> std::string {
        if (file) return read_secret_file(*file);
        // Never read a passphrase from piped input: stdin may be the data (e.g. `dkim sign -`).
        if (!::isatty(STDIN_FILENO))
            throw Error("'{}' is encrypted; use --passphrase-file", key_name);
        return read_secret_line("Passphrase for '" + key_name + "': ");
    };
}

void require_rsa(const EVP_PKEY* key, const std::string& key_name) {
    if (crypto::key_type(key) == crypto::KeyType::Rsa) return;
    std::string type = crypto::key_type_name(key);
    // "an ED25519 key", "a DSA key": the article follows how the name is spelled out.
    bool vowel_sound = std::strchr("AEFHILMNORSX", type.empty() ? 'X' : type[0]) != nullptr;
    throw Error("'{}' is {} {} key, not RSA", key_name, vowel_sound ? "an" : "a", type);
}

}  // namespace netius::cmd
