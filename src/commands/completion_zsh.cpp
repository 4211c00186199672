// The zsh completion script (see completion_script.hpp for what it completes).
#include <cctype>
#include <sstream>

#include "commands/completion_script.hpp"
#include "commands/completion_shells.hpp"

namespace netius::cmd::completion {
namespace {

std::string zsh_function(const CommandDoc& c) {
    std::string name = "_netius_cmd";
    for (const auto& p : c.path) {
        name += '_';
        for (char ch : p) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    }
    return name;
}

// Inside an _arguments spec: `]` ends a description and `:` separates fields.
std::string zsh_escape(std::string_view text, std::string_view specials) {
    std::string out;
    for (char c : one_line(text)) {
        if (c == '\\' || specials.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string zsh_action(const OptionDoc& o) {
    if (o.kind == ValueKind::Choice) return "(" + join(o.choices) + ")";
    return o.kind == ValueKind::File ? "_files" : " ";  // " ": a message, nothing to complete
}

std::vector<std::string> zsh_specs(const CommandDoc& c) {
    std::vector<std::string> specs;
    for (const auto& o : c.options) {
        const std::string desc = "[" + zsh_escape(o.description, "[]") + "]";
        const std::string excl = o.repeatable ? "*" : "(" + join(o.flags) + ")";
        for (const auto& f : o.flags) {
            std::string spec = excl + f;
            if (o.kind != ValueKind::None) {
                spec += (f.starts_with("--") ? "=" : "+") + desc + ":" +
                        zsh_escape(o.value_name, ":") + ":" + zsh_action(o);
            } else {
                spec += desc;
            }
            specs.push_back(sh_single_quote(spec));
        }
    }
    for (const auto& p : c.positionals) {
        std::string lead = p.repeatable ? "*:" : (p.required ? ":" : "::");
        specs.push_back(
            sh_single_quote(lead + zsh_escape(p.positional, ":") + ":" + zsh_action(p)));
    }
    return specs;
}

void zsh_command(std::ostringstream& out, const CommandDoc& c) {
    out << zsh_function(c) << "() {\n";
    auto specs = zsh_specs(c);
    if (c.is_leaf()) {
        out << "    _arguments -s -S";
        for (const auto& s : specs) out << " \\\n        " << s;
        out << "\n}\n\n";
        return;
    }
    out << "    local curcontext=\"$curcontext\" state state_descr line ret=1\n"
        << "    typeset -A opt_args\n"
        << "    _arguments -C -s -S";
    for (const auto& s : specs) out << " \\\n        " << s;
    out << " \\\n        '1:command:->command' \\\n        '*::argument:->argument' && ret=0\n"
        << "    case $state in\n        (command)\n            local -a commands\n"
        << "            commands=(\n";
    for (const auto& sub : c.children) {
        out << "                " << sh_single_quote(sub.name + ":" + one_line(sub.description))
            << "\n";
        for (const auto& a : sub.aliases)
            out << "                "
                << sh_single_quote(a + ":" + one_line(sub.description) + " (alias of " + sub.name +
                                   ")")
                << "\n";
    }
    out << "            )\n            _describe -t commands "
        << sh_single_quote(c.invocation() + " command") << " commands && ret=0\n"
        << "            ;;\n        (argument)\n            case $words[1] in\n";
    for (const auto& sub : c.children) {
        out << "                (" << join(names_of(sub), "|") << ") " << zsh_function(sub)
            << " && ret=0 ;;\n";
    }
    out << "            esac\n            ;;\n    esac\n    return ret\n}\n\n";
}

}  // namespace

std::string zsh_script(const CommandDoc& root) {
    std::ostringstream out;
    auto links = link_names(root);
    out << "#compdef " << join(links) << "\n"
        << "# zsh completion for netius: " << kGeneratedNote << "\n"
        << "# Install it as _netius in a directory of $fpath, or `source <(netius completion "
           "zsh)`.\n\n";
    for_each_command(root, [&](const CommandDoc& c) { zsh_command(out, c); });
    out << "_netius() {\n    case $service in\n";
    for (const auto& c : root.children)
        if (!c.is_leaf()) out << "        (netius-" << c.name << ") " << zsh_function(c) << " ;;\n";
    out << "        (*) " << zsh_function(root) << " ;;\n    esac\n}\n\n"
        << "if [ \"$funcstack[1]\" = \"_netius\" ]; then\n    _netius \"$@\"\nelse\n"
        << "    compdef _netius " << join(links) << "\nfi\n";
    return out.str();
}

}  // namespace netius::cmd::completion
