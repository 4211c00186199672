#pragma once
// Shell completion scripts generated from the command tree (cli_doc.hpp): bash, zsh and fish.
// The scripts complete subcommands (and their aliases), option names, option values
// (choices, file names) and positional arguments by kind, for `netius` and for its busybox
// links `netius-<group>`. They only read the command line; they never run netius.
// Pure functions: any thread, deterministic output, no exceptions beyond std::bad_alloc.
#include <optional>
#include <string>
#include <string_view>

#include "commands/cli_doc.hpp"

namespace netius::cmd {

enum class Shell { Bash, Zsh, Fish };

/// "bash", "zsh" or "fish" -> Shell; anything else -> nullopt.
std::optional<Shell> parse_shell(std::string_view name);

/// The installed file name: netius.bash, _netius (zsh's #compdef convention) or netius.fish.
std::string completion_file_name(Shell shell);

/// The whole completion script for `root` in `shell`'s language.
/// bash: defines `_netius` and registers it with `complete -F`; works without the
/// bash-completion package (reads COMP_WORDS/COMP_CWORD, fills COMPREPLY).
/// zsh: a #compdef file usable from $fpath or by `source`. fish: `complete -c` lines.
std::string completion_script(const CommandDoc& root, Shell shell);

/// `text` as one single-quoted word for bash/zsh: `it's` -> `'it'\''s'`.
std::string sh_single_quote(std::string_view text);

/// `text` as one single-quoted fish word (fish escapes \ and ' inside quotes): `'it\'s'`.
std::string fish_single_quote(std::string_view text);

}  // namespace netius::cmd
