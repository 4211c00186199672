#pragma once
// Configuration files for every command, generic over the command tree (a new command needs
// nothing here). They are applied after CLI11 has parsed the command line and the environment,
// so an option already set by either keeps its value. Precedence, highest first:
//
//   flag > environment (PORT=...) > --config FILE (TOML) > ./netius.json > default
//
// --config FILE: TOML read by CLI11's ConfigTOML reader. Keys are long option names; a
//   `[serve.hello]` section holds one command's options, keys before any section the global
//   ones (`log-level`). Every key must name an option of the tree, so a typo is an error.
//   A repeatable option may also be written as tables (`[[serve.proxy.route]]`, set_table_form).
// ./netius.json: netius' file (netius-spec §2.1), one object whose keys are the environment
//   names ({"PORT": 8080, "BASE_PATH": "/srv"}); keys no chosen command reads are ignored, as
//   netius ignores them. Lists become `;`-separated text, as netius' list values are.
//
// CLI11's own set_config() is not used: it applies the file before the environment, and
// netius' precedence has the environment win.
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace netius::cmd {

/// Where an option's effective value comes from.
enum class Source { Flag, Environment, ConfigFile, NetiusJson, Default };

/// "flag", "env", "config", "json" or "default".
std::string_view source_name(Source source);

/// The file netius reads from the current directory.
inline constexpr const char* kNetiusJson = "netius.json";

/// The options a call of apply_config_files() set, and from which file.
using FileValues = std::map<const CLI::Option*, Source>;

/// The commands a parse chose: `root`, then each subcommand given, down to the leaf.
std::vector<CLI::App*> chosen_commands(CLI::App& root);

/// True for the options a configuration file may set: named long options, not --help,
/// --version or --config.
bool is_configurable(const CLI::Option& option);

/// How a `[[SECTION.NAME]]` table of a TOML file becomes one value of the repeatable option
/// --NAME of SECTION's command (serve proxy: `host`, `prefix`, `to` -> "HOST/PREFIX=URL,URL"),
/// from the table's keys and their values (an array gives several). Throws netius::UsageError
/// saying what is wrong (an unknown or missing key).
using TableForm =
    std::function<std::string(const std::map<std::string, std::vector<std::string>>& keys)>;

/// Lets `option` (repeatable) be written as TOML tables as well as `NAME = [...]`; the values
/// of both in one file add up, tables after the array. Main thread, while the tree is built.
void set_table_form(const CLI::Option& option, TableForm form);

/// After root.parse(): sets each configurable option of chosen_commands(root) that is still
/// unset, first from `config_path` (skipped when empty), then from `json_path` (skipped when
/// no such file exists), running the option's checks. Returns what it set. Throws
/// netius::UsageError naming the file and key for a file that cannot be read or parsed, an
/// unknown TOML key, or a value the option rejects. Main thread.
FileValues apply_config_files(CLI::App& root, const std::string& config_path,
                              const std::string& json_path);

}  // namespace netius::cmd
