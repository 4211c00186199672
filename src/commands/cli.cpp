#include "commands/cli.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include <fmt/format.h>

namespace netius::cmd {

namespace {
CLI::App* chosen_leaf(CLI::App& root) {
    return chosen_commands(root).back();
}
}  // namespace

CLI::App* Cli::add_command(CLI::App& parent, const std::string& name,
                           const std::string& description, Action action) {
    CLI::App* c = parent.add_subcommand(name, description);
    actions_[c] = std::move(action);
    return c;
}

CLI::App* Cli::add_group(CLI::App& parent, const std::string& name,
                         const std::string& description) {
    // Not require_subcommand(): CLI11 would then answer "A subcommand is required" even to a
    // misspelt command; main() reports a missing command itself (missing_command_message).
    return parent.add_subcommand(name, description);
}

const Action* Cli::chosen_action() const {
    auto it = actions_.find(chosen_leaf(*app));
    return it == actions_.end() ? nullptr : &it->second;
}

std::string Cli::chosen_path() const {
    std::string path;
    for (const CLI::App* node : chosen_commands(*app))
        if (node != app.get()) path += (path.empty() ? "" : " ") + node->get_name();
    return path;
}

std::string Cli::missing_command_message() const {
    CLI::App* node = chosen_leaf(*app);
    std::string names;
    for (const CLI::App* sub : node->get_subcommands([](CLI::App*) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
    std::string path = chosen_path();
    return fmt::format("missing command ({}); run 'netius{}{} --help'", names,
                       path.empty() ? "" : " ", path);
}

FileValues Cli::apply_config_files() {
    return cmd::apply_config_files(*app, config_file, kNetiusJson);
}

std::string version_text() {
    return fmt::format("netius {}\n{}\nlibsodium {}", NETIUS_VERSION,
                       OpenSSL_version(OPENSSL_VERSION), sodium_version_string());
}

}  // namespace netius::cmd
