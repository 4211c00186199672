#include "commands/completion_script.hpp"

#include "commands/completion_shells.hpp"

namespace netius::cmd {
namespace completion {

void for_each_command(const CommandDoc& c, const std::function<void(const CommandDoc&)>& f) {
    f(c);
    for (const auto& child : c.children) for_each_command(child, f);
}

// Help text on one line, for menus.
std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) out += (c == '\n' || c == '\t') ? ' ' : c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string join(const std::vector<std::string>& words, const std::string& sep) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
    return out;
}

// A command's name and its aliases.
std::vector<std::string> names_of(const CommandDoc& c) {
    std::vector<std::string> names{c.name};
    names.insert(names.end(), c.aliases.begin(), c.aliases.end());
    return names;
}

std::vector<std::string> child_names(const CommandDoc& c) {
    std::vector<std::string> names;
    for (const auto& child : c.children) {
        auto n = names_of(child);
        names.insert(names.end(), n.begin(), n.end());
    }
    return names;
}

std::vector<std::string> link_names(const CommandDoc& root) {
    std::vector<std::string> names{"netius"};
    for (const auto& g : busybox_groups(root)) names.push_back("netius-" + g);
    return names;
}

// "text", "file", "choice a b c" for the bash and fish tables; "" for flags.
std::string value_word(const OptionDoc& o) {
    if (o.kind == ValueKind::Choice) return "choice " + join(o.choices);
    return o.kind == ValueKind::File ? "file" : o.kind == ValueKind::Text ? "text" : "";
}

}  // namespace completion

std::optional<Shell> parse_shell(std::string_view name) {
    if (name == "bash") return Shell::Bash;
    if (name == "zsh") return Shell::Zsh;
    if (name == "fish") return Shell::Fish;
    return std::nullopt;
}

std::string completion_file_name(Shell shell) {
    switch (shell) {
        case Shell::Bash:
            return "netius.bash";
        case Shell::Zsh:
            return "_netius";
        case Shell::Fish:
            return "netius.fish";
    }
    return "";
}

std::string completion_script(const CommandDoc& root, Shell shell) {
    switch (shell) {
        case Shell::Bash:
            return completion::bash_script(root);
        case Shell::Zsh:
            return completion::zsh_script(root);
        case Shell::Fish:
            return completion::fish_script(root);
    }
    return "";
}

std::string sh_single_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string fish_single_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

}  // namespace netius::cmd
