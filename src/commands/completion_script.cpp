#include "commands/completion_script.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>

namespace netius::cmd {
namespace {

constexpr const char* kGeneratedNote =
    "generated from the command tree by netius-docgen (`make docs`); do not edit.";

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

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
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

// ---- bash ---------------------------------------------------------------------------------

constexpr const char* kBashDriver =
    R"SH(# _netius_complete_value KIND CUR: fills COMPREPLY for a value of KIND.
_netius_complete_value() {
    case "$1" in
        file)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$2") ;;
        choice\ *)
            mapfile -t COMPREPLY < <(compgen -W "${1#choice }" -- "$2") ;;
        *) COMPREPLY=() ;;
    esac
}

_netius() {
    local cur="${COMP_WORDS[COMP_CWORD]}" path="" opt="" pending="" child i w
    local -i npos=0
    local prog="${COMP_WORDS[0]##*/}"
    # Busybox links: `netius-dkim ...` completes like `netius dkim ...`.
    if [[ $prog == netius-?* && -n $(_netius_child "" "${prog#netius-}") ]]; then
        path="${prog#netius-}"
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ -n $pending ]]; then
            [[ $w == "=" ]] || pending=""  # `--opt=value` arrives as --opt, =, value
            continue
        fi
        case "$w" in
            --*=*) continue ;;
            -*)
                if [[ -n $(_netius_value "$path" "$w") ]]; then
                    opt="$w"
                    pending=1
                fi
                continue ;;
        esac
        child=$(_netius_child "$path" "$w")
        if [[ -n $child ]]; then
            path="${path:+$path }$child"
            npos=0
        else
            npos+=1
        fi
    done
    COMPREPLY=()
    if [[ -n $pending ]]; then
        [[ $cur == "=" ]] && cur=""
        _netius_complete_value "$(_netius_value "$path" "$opt")" "$cur"
    elif [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_netius_options "$path")" -- "$cur")
    elif [[ -n $(_netius_children "$path") ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_netius_children "$path")" -- "$cur")
    else
        _netius_complete_value "$(_netius_positional "$path" "$npos")" "$cur"
    fi
    return 0
}
)SH";

std::string bash_script(const CommandDoc& root) {
    std::ostringstream children, child, options, value, positional;
    for_each_command(root, [&](const CommandDoc& c) {
        const std::string path = c.path_string();
        if (!c.children.empty())
            children << "        " << sh_single_quote(path) << ") echo "
                     << sh_single_quote(join(child_names(c))) << " ;;\n";
        for (const auto& sub : c.children) {
            std::vector<std::string> patterns;
            for (const auto& n : names_of(sub)) patterns.push_back(sh_single_quote(path + ":" + n));
            child << "        " << join(patterns, "|") << ") echo " << sh_single_quote(sub.name)
                  << " ;;\n";
        }
        std::vector<std::string> names;
        for (const auto& o : c.options) {
            names.insert(names.end(), o.flags.begin(), o.flags.end());
            if (o.kind == ValueKind::None) continue;
            std::vector<std::string> patterns;
            for (const auto& f : o.flags) patterns.push_back(sh_single_quote(path + ":" + f));
            value << "        " << join(patterns, "|") << ") echo "
                  << sh_single_quote(value_word(o)) << " ;;\n";
        }
        if (!names.empty())
            options << "        " << sh_single_quote(path) << ") echo "
                    << sh_single_quote(join(names)) << " ;;\n";
        for (std::size_t i = 0; i < c.positionals.size(); ++i) {
            const auto& p = c.positionals[i];
            const bool rest = p.repeatable && i + 1 == c.positionals.size();
            positional << "        "
                       << sh_single_quote(path + ":" + (rest ? "" : std::to_string(i)))
                       << (rest ? "*" : "") << ") echo " << sh_single_quote(value_word(p))
                       << " ;;\n";
        }
    });
    std::ostringstream out;
    out << "# bash completion for netius: " << kGeneratedNote << "\n"
        << "# Load it with `source <(netius completion bash)`, or install it as\n"
        << "# /usr/share/bash-completion/completions/netius.\n\n"
        << "# _netius_children PATH: the subcommands (and aliases) of PATH.\n"
        << "_netius_children() {\n    case \"$1\" in\n"
        << children.str() << "    esac\n}\n\n"
        << "# _netius_child PATH WORD: the subcommand that WORD names below PATH, if any.\n"
        << "_netius_child() {\n    case \"$1:$2\" in\n"
        << child.str() << "    esac\n}\n\n"
        << "# _netius_options PATH: the option names of PATH.\n"
        << "_netius_options() {\n    case \"$1\" in\n"
        << options.str() << "    esac\n}\n\n"
        << "# _netius_value PATH OPTION: what OPTION takes (text, file, choice A B...); nothing\n"
        << "# for a flag.\n"
        << "_netius_value() {\n    case \"$1:$2\" in\n"
        << value.str() << "    esac\n}\n\n"
        << "# _netius_positional PATH INDEX: what positional argument INDEX (from 0) takes.\n"
        << "_netius_positional() {\n    case \"$1:$2\" in\n"
        << positional.str() << "    esac\n}\n\n"
        << kBashDriver << "\ncomplete -F _netius " << join(link_names(root)) << "\n";
    return out.str();
}

// ---- zsh ----------------------------------------------------------------------------------

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

// ---- fish ---------------------------------------------------------------------------------

constexpr const char* kFishDriver =
    R"SH(function __netius_path --description 'The netius command path typed so far, e.g. "dkim sign"'
    set -l tokens (commandline -opc)
    set -l path ''
    set -l prog (string replace -r '.*/' '' -- $tokens[1])
    set -e tokens[1]
    # Busybox links: `netius-dkim ...` completes like `netius dkim ...`.
    set -l group (string replace -r '^netius-' '' -- $prog)
    if test "$group" != "$prog"; and __netius_child '' "$group" >/dev/null
        set path $group
    end
    set -l pending 0
    for w in $tokens
        if test $pending = 1
            set pending 0
        else if string match -q -- '--*=*' $w
            continue
        else if string match -q -- '-*' $w
            if __netius_takes_value "$path" $w
                set pending 1
            end
        else
            set -l child (__netius_child "$path" $w)
            if test -n "$child"
                set path (string trim -- "$path $child")
            end
        end
    end
    echo $path
end

function __netius_at --description 'Whether the netius command path typed so far is $argv[1]'
    set -l path (__netius_path)
    test "$path" = "$argv[1]"
end
)SH";

std::string fish_script(const CommandDoc& root) {
    std::ostringstream child, takes, lines;
    std::vector<std::string> value_patterns;
    for_each_command(root, [&](const CommandDoc& c) {
        const std::string path = c.path_string();
        const std::string cond = "-n " + fish_single_quote("__netius_at \"" + path + "\"");
        for (const auto& sub : c.children) {
            std::vector<std::string> names = names_of(sub), patterns;
            for (const auto& n : names) patterns.push_back(fish_single_quote(path + ":" + n));
            child << "        case " << join(patterns) << "\n            echo "
                  << fish_single_quote(sub.name) << "\n            return 0\n";
            for (const auto& n : names)
                lines << "complete -c netius -f " << cond << " -a " << fish_single_quote(n)
                      << " -d " << fish_single_quote(one_line(sub.description)) << "\n";
        }
        for (const auto& o : c.options) {
            lines << "complete -c netius " << cond;
            for (const auto& f : o.flags) {
                lines << (f.starts_with("--") ? " -l " : " -s ")
                      << fish_single_quote(f.substr(f.starts_with("--") ? 2 : 1));
                if (o.kind != ValueKind::None)
                    value_patterns.push_back(fish_single_quote(path + ":" + f));
            }
            if (o.kind == ValueKind::File) lines << " -rF";
            if (o.kind == ValueKind::Text) lines << " -x";
            if (o.kind == ValueKind::Choice) lines << " -xa " << fish_single_quote(join(o.choices));
            lines << " -d " << fish_single_quote(one_line(o.description)) << "\n";
        }
        bool files = false;
        for (const auto& p : c.positionals) {
            files = files || p.kind == ValueKind::File;
            if (p.kind == ValueKind::Choice)
                lines << "complete -c netius -f " << cond << " -a "
                      << fish_single_quote(join(p.choices)) << " -d "
                      << fish_single_quote(p.positional) << "\n";
        }
        if (!files) lines << "complete -c netius -f " << cond << "\n";
    });
    if (!value_patterns.empty())
        takes << "        case " << join(value_patterns) << "\n            return 0\n";
    std::ostringstream out;
    out << "# fish completion for netius: " << kGeneratedNote << "\n"
        << "# Install it as ~/.config/fish/completions/netius.fish, or\n"
        << "# `netius completion fish | source`.\n\n"
        << "function __netius_child --description 'The subcommand that $argv[2] names below the "
           "path $argv[1]'\n    switch \"$argv[1]:$argv[2]\"\n"
        << child.str() << "    end\n    return 1\nend\n\n"
        << "function __netius_takes_value --description 'Whether option $argv[2] of the path "
           "$argv[1] takes a value'\n    switch \"$argv[1]:$argv[2]\"\n"
        << takes.str() << "    end\n    return 1\nend\n\n"
        << kFishDriver << "\n"
        << lines.str();
    for (const auto& g : busybox_groups(root)) out << "complete -c netius-" << g << " -w netius\n";
    return out.str();
}

}  // namespace

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
            return bash_script(root);
        case Shell::Zsh:
            return zsh_script(root);
        case Shell::Fish:
            return fish_script(root);
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
