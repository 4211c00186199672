#pragma once
// The command tree. `make_cli()` builds the CLI11 tree from the registration list in
// registry.cpp; each leaf command carries the action main() runs after a successful parse.
// Used by main.cpp, the tests and tools/docgen.cpp (man pages and completions).
//
// main() builds a lazy tree: a group's commands (and their options) are registered only when
// the command line names the group, because building all of them, several hundred options, was
// 60% of the instructions of `netius --version` (docs/benchmarks.md, "Start-up").
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands/config_file.hpp"

namespace netius::cmd {

/// What a leaf command does once its options are parsed. Returns the exit status; fails by
/// throwing netius::Error (status 1), netius::UsageError (2) or netius::ExitStatus.
using Action = std::function<int()>;

/// Registers the commands of a group (`register_dkim_sign(cli, dkim)`...).
using GroupCommands = std::function<void(CLI::App& group)>;

/// Registration::eager registers every command at once; Registration::lazy a group's commands
/// when the group is parsed (CLI11's pre-parse callback) or materialize() is called.
enum class Registration { eager, lazy };

struct Cli {
    explicit Cli(Registration registration = Registration::eager)
        : lazy_(registration == Registration::lazy) {}

    std::unique_ptr<CLI::App> app;
    std::string log_level;          // --log-level / LEVEL; empty = INFO
    std::string config_file;        // --config FILE (TOML); empty = none
    std::vector<std::string> args;  // the command line main() parses (for `config show`)

    /// Adds a runnable leaf command `name` under `parent`.
    CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description,
                          Action action);

    /// Adds a command group (`rsa`, `dkim`, ...) whose commands `commands` registers, at once or,
    /// in a lazy tree, when it is parsed; given alone, main() reports the missing command.
    CLI::App* add_group(CLI::App& parent, const std::string& name, const std::string& description,
                        GroupCommands commands);

    /// Registers the commands of every group a lazy tree has not registered yet, for code that
    /// walks the whole tree (completion scripts, --config's checks). Idempotent; main thread.
    void materialize();

    /// After parse(): the chosen leaf command and its path ("dkim sign"). The path is the
    /// deepest subcommand given even when it has no action (e.g. `netius dkim` alone).
    const Action* chosen_action() const;
    std::string chosen_path() const;
    /// For a group given without its subcommand: "missing command (a, b); run '...--help'".
    std::string missing_command_message() const;

    /// Marks `option` (one with an environment name) as one whose variable set to "" is a
    /// value, as the flag given '' is (INDEX_FILES= : no index files); CLI11 reads an empty
    /// variable as unset. Returns `option`.
    CLI::Option* empty_env_is_value(CLI::Option* option);

    /// After parse(): first the marked options whose variable is set but empty take "" (an
    /// environment value: it beats the files); then fills the chosen commands' options that
    /// neither a flag nor the environment set, from --config and ./netius.json
    /// (config_file.hpp). Returns what the files set; throws netius::UsageError for a bad
    /// file, key or value, or an empty variable the option rejects.
    FileValues apply_config_files();

    /// Parses `argv` (the program name first; kept in `args`) into the tree as CLI11's
    /// parse() does, except that only the commands given read their options' environment
    /// variables. Throws what CLI11 throws (CLI::Success for --help, CLI::ParseError).
    void parse(std::vector<std::string> argv);

    /// After parse() threw `error`: when the value rejected came from an option's
    /// environment variable rather than its flag, "NAME=value" (so the message can name the
    /// variable: PORT=abc); nullopt otherwise. Main thread.
    std::optional<std::string> environment_source(const CLI::Error& error) const;

  private:
    void register_group(CLI::App* group);

    bool lazy_;
    std::map<CLI::App*, GroupCommands> unregistered_;  // lazy groups not parsed yet
    // During parse()'s first pass, the environment names of what a group registers go here.
    std::map<CLI::Option*, std::string>* taken_envnames_ = nullptr;
    std::map<const CLI::App*, Action> actions_;
    std::set<const CLI::Option*> empty_env_values_;
    std::set<const CLI::Option*> flags_;  // the options parse()'s command line gave
};

/// Clears every environment name in `app`'s tree, and the required mark of the options that
/// had one (a parse that sees only the command line: `config show` telling flags apart).
void strip_envnames(CLI::App& app);
/// The same, keeping each option's name in `names`.
void take_envnames(CLI::App& app, std::map<CLI::Option*, std::string>& names);

/// Builds the netius command tree, whole or lazy (main's). Never throws for a well-formed
/// registration list.
std::unique_ptr<Cli> make_cli(Registration registration = Registration::eager);

/// `netius --version` text: netius, OpenSSL and libsodium versions, one per line.
std::string version_text();

}  // namespace netius::cmd
