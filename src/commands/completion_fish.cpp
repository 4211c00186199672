// The fish completion script (see completion_script.hpp for what it completes).
#include <sstream>

#include "commands/completion_script.hpp"
#include "commands/completion_shells.hpp"

namespace netius::cmd::completion {
namespace {

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

}  // namespace

std::string fish_script(const CommandDoc& root) {
    std::ostringstream child, takes, lines;
    std::vector<std::string> value_patterns;
    for_each_command(root, [&](const CommandDoc& c) {
        const std::string path = c.path_string();
        const std::string key = path + ":";  // "serve hello:--port" names an option of a command
        const std::string cond = "-n " + fish_single_quote("__netius_at \"" + path + "\"");
        for (const auto& sub : c.children) {
            std::vector<std::string> names = names_of(sub), patterns;
            for (const auto& n : names) patterns.push_back(fish_single_quote(key + n));
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
                if (o.kind != ValueKind::None) value_patterns.push_back(fish_single_quote(key + f));
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

}  // namespace netius::cmd::completion
