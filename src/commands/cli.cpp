#include "commands/cli.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "util/error.hpp"

namespace netius::cmd {

namespace {
CLI::App* chosen_leaf(CLI::App& root) {
    return chosen_commands(root).back();
}

// Whether CLI11's message `what` names the option `name` as a word: "--port: ...",
// "Could not convert: --port = abc", "... is not an allowed value for --port".
bool names_option(std::string_view what, std::string_view name) {
    for (std::size_t at = what.find(name); at != std::string_view::npos;
         at = what.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        if ((at == 0 || what[at - 1] == ' ') &&
            (end == what.size() || what[end] == ' ' || what[end] == ':'))
            return true;
    }
    return false;
}
}  // namespace

// Every command the parse took, at any level: the chosen chain, and the words after `config
// show` that CLI11 also takes as a second command (`config show http get`).
static std::vector<CLI::App*> given_commands(CLI::App& root) {
    std::vector<CLI::App*> all{&root};
    for (std::size_t i = 0; i < all.size(); ++i)
        for (CLI::App* sub : all[i]->get_subcommands()) all.push_back(sub);
    return all;
}

void strip_envnames(CLI::App& app) {
    std::map<CLI::Option*, std::string> names;
    take_envnames(app, names);
    // A required value the environment gives (HTTP_URL) is not missing from such a parse.
    for (auto& [option, name] : names) option->required(false);
}

void take_envnames(CLI::App& app, std::map<CLI::Option*, std::string>& names) {
    for (CLI::Option* option : app.get_options())
        if (!option->get_envname().empty()) {
            names[option] = option->get_envname();
            option->envname("");
        }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
        take_envnames(*sub, names);
}

CLI::App* Cli::add_command(CLI::App& parent, const std::string& name,
                           const std::string& description, Action action) {
    CLI::App* c = parent.add_subcommand(name, description);
    actions_[c] = std::move(action);
    return c;
}

CLI::App* Cli::add_group(CLI::App& parent, const std::string& name, const std::string& description,
                         GroupCommands commands) {
    // Not require_subcommand(): CLI11 would then answer "A subcommand is required" even to a
    // misspelt command; main() reports a missing command itself (missing_command_message).
    CLI::App* group = parent.add_subcommand(name, description);
    if (!lazy_) {
        commands(*group);
        return group;
    }
    unregistered_.emplace(group, std::move(commands));
    // Called when the group's name is parsed, before the words after it (its commands).
    group->preparse_callback([this, group](std::size_t) { register_group(group); });
    return group;
}

void Cli::register_group(CLI::App* group) {
    auto it = unregistered_.find(group);
    if (it == unregistered_.end()) return;
    GroupCommands commands = std::move(it->second);
    unregistered_.erase(it);
    commands(*group);
    if (taken_envnames_) take_envnames(*group, *taken_envnames_);
}

void Cli::materialize() {
    while (!unregistered_.empty()) register_group(unregistered_.begin()->first);
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

CLI::Option* Cli::empty_env_is_value(CLI::Option* option) {
    empty_env_values_.insert(option);
    return option;
}

FileValues Cli::apply_config_files() {
    if (!config_file.empty()) materialize();  // its items are checked against the whole tree
    for (CLI::App* command : chosen_commands(*app))
        for (CLI::Option* option : command->get_options()) {
            if (!empty_env_values_.count(option) || option->count() > 0) continue;
            const char* value = std::getenv(option->get_envname().c_str());
            if (!value || *value) continue;
            try {
                option->add_result(std::string());
                option->run_callback();
            } catch (const CLI::Error& e) {
                throw UsageError("{}= (empty): {}", option->get_envname(), e.what());
            }
        }
    return cmd::apply_config_files(*app, config_file, kNetiusJson);
}

void Cli::parse(std::vector<std::string> argv) {
    args = std::move(argv);
    std::vector<std::string> words;  // CLI11 takes them reversed, without the program name
    if (!args.empty()) words.assign(args.rbegin(), args.rend() - 1);
    // CLI11 reads the environment for every command, given or not: a value that only some
    // other command rejects (PORT=abc for `auth generate`) would stop this one. So a first
    // parse without environment names finds the commands given and what their flags set (it
    // may fail as the real one will: the commands are known by then), and only those
    // commands' options read the environment in the second. Both set the same flags.
    // A lazy group registers its commands during the first parse: their names are taken too.
    std::map<CLI::Option*, std::string> names;
    take_envnames(*app, names);
    taken_envnames_ = &names;
    try {
        std::vector<std::string> copy = words;
        app->parse(copy);
    } catch (const CLI::Error&) {
    } catch (...) {
        taken_envnames_ = nullptr;
        throw;
    }
    taken_envnames_ = nullptr;
    flags_.clear();
    for (CLI::App* command : given_commands(*app))
        for (CLI::Option* option : command->get_options()) {
            if (option->count() > 0) flags_.insert(option);
            if (auto it = names.find(option); it != names.end()) {
                option->envname(it->second);
                names.erase(it);
            }
        }
    // The other commands get theirs back after the parse: the tree stays whole for what walks
    // it (completion scripts).
    auto restore = [&names] {
        for (auto& [option, name] : names) option->envname(name);
    };
    try {
        app->parse(words);  // clears the first parse's results first
    } catch (...) {
        restore();
        throw;
    }
    restore();
}

std::optional<std::string> Cli::environment_source(const CLI::Error& error) const {
    const std::string kind = error.get_name();
    if (kind != "ConversionError" && kind != "ValidationError") return std::nullopt;
    for (CLI::App* command : given_commands(*app))
        for (const CLI::Option* option : command->get_options()) {
            const std::string& env = option->get_envname();
            const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
            if (!value || !*value || flags_.count(option) ||
                !names_option(error.what(), option->get_name()))
                continue;
            return env + "=" + value;
        }
    return std::nullopt;
}

std::string version_text() {
    return fmt::format("netius {}\n{}\nlibsodium {}", NETIUS_VERSION,
                       OpenSSL_version(OPENSSL_VERSION), sodium_version_string());
}

}  // namespace netius::cmd
