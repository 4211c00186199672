// `netius completion bash|zsh|fish` — prints the completion script for the whole command tree.
#include "commands/completion_script.hpp"
#include "commands/registry.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {

void register_completion(Cli& cli, CLI::App& root) {
    auto shell = std::make_shared<std::string>();
    // The script covers every command: those of the groups a lazy tree has not registered too.
    auto* c =
        cli.add_command(root, "completion", "Print a shell completion script (bash, zsh or fish)",
                        [shell, &cli, &root] {
                            auto which = parse_shell(*shell);
                            if (!which) throw UsageError("unknown shell '{}'", *shell);
                            cli.materialize();
                            write_stdout(completion_script(describe_cli(root), *which));
                            return 0;
                        });
    c->add_option("SHELL", *shell, "Shell to complete for")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    c->footer(
        "Examples:\n"
        "  source <(netius completion bash)                 # bash, this session\n"
        "  netius completion zsh > ~/.zfunc/_netius         # zsh, a directory in $fpath\n"
        "  netius completion fish > ~/.config/fish/completions/netius.fish");
}

}  // namespace netius::cmd
