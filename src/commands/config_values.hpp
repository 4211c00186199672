#pragma once
// How `netius config show` writes one option: a TOML line that --config accepts, followed by
// the value's source and environment name. Pure: no I/O; any thread.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "commands/config_file.hpp"

namespace netius::cmd {

/// True for an option named like a secret (password, secret, token, passphrase, credential)
/// that is not a path to one: `--passphrase-file` and key paths are shown.
bool is_secret(const CLI::Option& option);

/// `values` as a TOML value: true/false for a flag, a number as it is, other text quoted, an
/// array for a repeatable option. Secrets become "********", and so does the value of an
/// `Authorization:` or `Proxy-Authorization:` header.
std::string toml_value(const CLI::Option& option, const std::vector<std::string>& values);

/// `key = value  # source (ENV)` for a parsed option whose value comes from `source`; an
/// option without a value (no default, not given) is written commented out.
std::string config_line(const CLI::Option& option, Source source);

}  // namespace netius::cmd
