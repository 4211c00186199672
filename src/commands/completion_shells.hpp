#pragma once
// Internal to the completion generators (completion_*.cpp): the shared helpers and one entry
// point per shell. Pure functions; see completion_script.hpp for the public contract.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/cli_doc.hpp"

namespace netius::cmd::completion {

inline constexpr const char* kGeneratedNote =
    "generated from the command tree by netius-docgen (`make docs`); do not edit.";

void for_each_command(const CommandDoc& c, const std::function<void(const CommandDoc&)>& f);
/// The first line of a help text, without trailing space.
std::string one_line(std::string_view text);
std::string join(const std::vector<std::string>& words, const std::string& sep = " ");
/// A command's name and its aliases.
std::vector<std::string> names_of(const CommandDoc& c);
/// Every name (aliases included) of a command's subcommands.
std::vector<std::string> child_names(const CommandDoc& c);
/// The busybox link names, `netius-<group>`.
std::vector<std::string> link_names(const CommandDoc& root);
/// "choice a b", "file", "text" or "" for an option's value.
std::string value_word(const OptionDoc& o);

std::string bash_script(const CommandDoc& root);
std::string zsh_script(const CommandDoc& root);
std::string fish_script(const CommandDoc& root);

}  // namespace netius::cmd::completion
