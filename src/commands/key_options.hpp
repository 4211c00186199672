#pragma once
// The option group of every command that reads a possibly encrypted private key (`rsa read`,
// `rsa convert`, `dkim sign`): --passphrase-file, else a no-echo prompt on a terminal.
// Main thread only (the prompt changes terminal modes).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "crypto/keys.hpp"

namespace netius::cmd {

struct KeyOptions {
    std::optional<std::string> passphrase_file;

    /// Adds --passphrase-file FILE to `command`.
    void add_to(CLI::App& command);

    /// The passphrase source for the key read from `key_name` (a path, named in the prompt and
    /// errors). Asked only when the key is encrypted: the first line of --passphrase-file; else
    /// a no-echo prompt when standard input is a terminal; else it throws netius::Error
    /// "'<key_name>' is encrypted; use --passphrase-file". The function holds a copy of
    /// everything it needs, so it may outlive this object.
    crypto::PassphraseFn passphrase(const std::string& key_name) const;
};

/// Throws netius::Error "'<key_name>' is an ED25519 key, not RSA" unless `key` is RSA.
void require_rsa(const EVP_PKEY* key, const std::string& key_name);

}  // namespace netius::cmd
