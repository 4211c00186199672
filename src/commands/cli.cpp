#include "commands/cli.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include <fmt/format.h>

namespace netius::cmd {

namespace {
const CLI::App* chosen_leaf(const CLI::App& root) {
    const CLI::App* node = &root;
    for (;;) {
        auto subs = node->get_subcommands();
        if (subs.empty()) return node;
        node = subs.front();
    }
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
    CLI::App* g = parent.add_subcommand(name, description);
    g->require_subcommand(1);
    return g;
}

const Action* Cli::chosen_action() const {
    auto it = actions_.find(chosen_leaf(*app));
    return it == actions_.end() ? nullptr : &it->second;
}

std::string Cli::chosen_path() const {
    std::string path;
    for (const CLI::App* node = app.get();;) {
        auto subs = node->get_subcommands();
        if (subs.empty()) break;
        node = subs.front();
        if (!path.empty()) path += ' ';
        path += node->get_name();
    }
    return path;
}

std::string version_text() {
    return fmt::format("netius {}\n{}\nlibsodium {}", NETIUS_VERSION,
                       OpenSSL_version(OPENSSL_VERSION), sodium_version_string());
}

}  // namespace netius::cmd
