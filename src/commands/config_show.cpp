// `netius config show [COMMAND [OPTIONS...]]` — the effective configuration of a command line,
// as TOML a --config file accepts, each value followed by its source (flag, env, config, json
// or default; config_file.hpp has the precedence). Secrets are masked.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "commands/config_values.hpp"
#include "commands/registry.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

// "serve.hello.port": an option of one command, the same in two separately built trees.
std::string key_of(const std::vector<CLI::App*>& chain, const CLI::Option& option) {
    std::string key;
    for (const CLI::App* app : chain)
        if (app->get_parent()) key += app->get_name() + ".";
    return key + option.get_lnames().front();
}

// A fresh command tree parsed from `words` (the command line without "netius").
std::unique_ptr<Cli> parse(const std::vector<std::string>& words, bool with_environment) {
    auto cli = make_cli();
    if (!with_environment) strip_envnames(*cli->app);
    std::vector<std::string> argv = {"netius"};
    argv.insert(argv.end(), words.begin(), words.end());
    try {
        cli->parse(argv);
    } catch (const CLI::Success&) {
        throw UsageError("--help and --version have no configuration to show");
    } catch (const CLI::ParseError& e) {
        if (auto source = cli->environment_source(e))
            throw UsageError("environment {}: {}", *source, e.what());
        throw UsageError("{}", e.what());
    }
    return cli;
}

// The options set on the command line: those a parse without environment names still sets.
std::set<std::string> flag_keys(const std::vector<std::string>& words) {
    std::set<std::string> keys;
    auto bare = parse(words, false);
    auto chain = chosen_commands(*bare->app);
    for (CLI::App* app : chain)
        for (const CLI::Option* option : app->get_options())
            if (is_configurable(*option) && option->count() > 0)
                keys.insert(key_of(chain, *option));
    return keys;
}

std::vector<std::string> words_after_show(const std::vector<std::string>& args) {
    auto config = std::find(args.begin(), args.end(), "config");
    auto show = std::find(config, args.end(), "show");
    return {show == args.end() ? show : show + 1, args.end()};
}

int run(const std::vector<std::string>& words, const std::string& outer_config) {
    std::vector<std::string> args = words;
    // `netius --config F config show ...`: F applies to the command shown.
    bool has_config = std::any_of(args.begin(), args.end(), [](const std::string& a) {
        return a == "--config" || a.rfind("--config=", 0) == 0;
    });
    if (!outer_config.empty() && !has_config) args.insert(args.begin(), {"--config", outer_config});
    const std::set<std::string> flags = flag_keys(args);
    auto cli = parse(args, true);
    const FileValues from_files = cli->apply_config_files();
    const auto chain = chosen_commands(*cli->app);
    fmt::print("# netius {}: effective configuration; flag > env > config > json > default\n",
               cli->chosen_path());
    for (CLI::App* app : chain) {
        std::vector<CLI::Option*> options =
            app->get_options([](const CLI::Option* o) { return is_configurable(*o); });
        if (options.empty()) continue;
        if (app->get_parent()) {
            const std::string first = key_of(chain, *options.front());
            fmt::print("\n[{}]\n", first.substr(0, first.rfind('.')));
        }
        for (CLI::Option* option : options) {
            Source source = Source::Default;
            if (flags.count(key_of(chain, *option)))
                source = Source::Flag;
            else if (auto it = from_files.find(option); it != from_files.end())
                source = it->second;
            else if (option->count() > 0)
                source = Source::Environment;
            fmt::print("{}\n", config_line(*option, source));
        }
    }
    return 0;
}

}  // namespace

void register_config_show(Cli& cli, CLI::App& config) {
    // Everything after `show` is the command line to show. CLI11 parses it too (as a second
    // command: a word naming a command is one at any level), so it is taken from the raw args.
    auto* c = cli.add_command(config, "show", "Print a command's effective configuration as TOML",
                              [&cli] { return run(words_after_show(cli.args), cli.config_file); });
    c->prefix_command();
    c->footer(
        "Each line is followed by its source: flag, env, config (--config FILE), json\n"
        "(./netius.json) or default. Passwords, secrets and tokens are masked.\n"
        "Examples:\n"
        "  netius config show serve hello --port 8080\n"
        "  PORT=8081 netius config show serve file --config netius.toml > effective.toml");
}

}  // namespace netius::cmd
