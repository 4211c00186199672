#pragma once
// A plain description of the CLI11 command tree, read once from CLI::App and shared by the man
// page and completion generators, so neither needs editing when a command is added.
// Everything here is pure: it reads the tree, never parses or runs it. Any thread may call these
// functions as long as nobody mutates the tree meanwhile. They do not throw except std::bad_alloc.
#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace netius::cmd {

/// What an option or positional argument takes, and so what a shell should complete for it.
enum class ValueKind {
    None,    // a flag: takes no value
    Text,    // free text: nothing to complete
    File,    // a path: complete file names
    Choice,  // one of OptionDoc::choices
};

struct OptionDoc {
    std::vector<std::string> flags;  // "-h", "--help": short names first; empty for positionals
    std::string positional;          // "MESSAGE" for a positional argument, else empty
    std::string value_name;          // "TEXT", "FILE", "INT"... (empty for flags)
    std::string description;
    std::string envname;        // environment variable read when the option is absent
    std::string default_value;  // as shown by --help; empty when none is captured
    std::vector<std::string> choices;
    ValueKind kind = ValueKind::None;
    bool required = false;
    bool repeatable = false;  // more than one value or occurrence (`FILE...`)
};

struct CommandDoc {
    std::vector<std::string> path;  // {"dkim", "sign"}; empty for the root
    std::string name;               // "sign"; "netius" for the root
    std::vector<std::string> aliases;
    std::string description;
    std::string footer;                  // examples; empty when it only repeats the parent's footer
    std::vector<OptionDoc> options;      // named options, in definition order (incl. --help)
    std::vector<OptionDoc> positionals;  // in command-line order
    std::vector<CommandDoc> children;    // visible subcommands, in menu order
    bool group = false;  // needs a subcommand (`netius dkim`), even while it has none yet

    /// "netius dkim sign".
    std::string invocation() const;
    /// "dkim sign" ("" for the root).
    std::string path_string() const;
    bool is_leaf() const { return !group; }
};

/// Reads the visible tree below `root` (hidden options and subcommands are left out).
///
/// Value kinds follow these conventions, so command files need nothing special:
/// - Choice: a CLI::IsMember check (`{rsa,ed25519}` in the type name), or a type name written
///   as `rsa|ed25519` (`->type_name("rsa|ed25519")`).
/// - File: a type name FILE, PATH or DIR (CLI::ExistingFile, `->type_name("FILE")`), a name
///   containing "file" (`--passphrase-file`, `FILE`), or help text that calls the value a file
///   within its first four words ("Private key file"), or help text saying that `-` means
///   standard input or output ("'-' for standard input", "message file, - for stdin"), or
///   help text naming a key file format (the word PEM or DER).
/// - Text otherwise; None for flags.
CommandDoc describe_cli(const CLI::App& root);

/// Every leaf command below `root`, depth first in menu order.
std::vector<const CommandDoc*> leaf_commands(const CommandDoc& root);

/// Top-level commands that are groups (have subcommands): the `netius-<group>` busybox links.
std::vector<std::string> busybox_groups(const CommandDoc& root);

/// The generated documentation of the whole tree: relative path -> contents, i.e.
/// man/netius.1, man/netius-<command>.1 per top-level command, completions/netius.bash,
/// completions/_netius and completions/netius.fish. Deterministic: same tree, same bytes.
std::map<std::string, std::string> generate_doc_files(const CLI::App& root);

}  // namespace netius::cmd
