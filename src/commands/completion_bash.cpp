// The bash completion script (see completion_script.hpp for what it completes).
#include <sstream>

#include "commands/completion_script.hpp"
#include "commands/completion_shells.hpp"

namespace netius::cmd::completion {
namespace {

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

}  // namespace

std::string bash_script(const CommandDoc& root) {
    std::ostringstream children, child, options, value, positional;
    for_each_command(root, [&](const CommandDoc& c) {
        const std::string path = c.path_string();
        const std::string key = path + ":";  // "serve hello:--port" names an option of a command
        if (!c.children.empty())
            children << "        " << sh_single_quote(path) << ") echo "
                     << sh_single_quote(join(child_names(c))) << " ;;\n";
        for (const auto& sub : c.children) {
            std::vector<std::string> patterns;
            for (const auto& n : names_of(sub)) patterns.push_back(sh_single_quote(key + n));
            child << "        " << join(patterns, "|") << ") echo " << sh_single_quote(sub.name)
                  << " ;;\n";
        }
        std::vector<std::string> names;
        for (const auto& o : c.options) {
            names.insert(names.end(), o.flags.begin(), o.flags.end());
            if (o.kind == ValueKind::None) continue;
            std::vector<std::string> patterns;
            for (const auto& f : o.flags) patterns.push_back(sh_single_quote(key + f));
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

}  // namespace netius::cmd::completion
