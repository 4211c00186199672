// netius entry point: busybox dispatch on argv[0], the CLI11 parse, and the one catch ladder
// that turns every failure into an exit status (0 ok, 1 failure, 2 usage) and one stderr line.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "commands/cli.hpp"
#include "util/error.hpp"
#include "util/logging.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// `netius-dkim sign ...` behaves as `netius dkim sign ...`.
std::vector<std::string> dispatch_args(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    std::string self = args.empty() ? "netius" : args[0];
    auto slash = self.rfind('/');
    if (slash != std::string::npos) self.erase(0, slash + 1);
    const std::string prefix = "netius-";
    if (self.size() > prefix.size() && self.compare(0, prefix.size(), prefix) == 0)
        args.insert(args.begin() + 1, self.substr(prefix.size()));
    return args;
}

void print_failure(const std::string& command, const std::string& what) {
    std::string where = command.empty() ? "" : command + ": ";
    std::fprintf(stderr, "netius: %s%s\n", where.c_str(), what.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    auto early = std::getenv("LEVEL");
    auto level = netius::parse_log_level(early ? early : "INFO");
    netius::init_logging(level.value_or(spdlog::level::info));
    if (sodium_init() < 0) {
        print_failure("", "libsodium failed to initialise");
        return kExitFailure;
    }

    auto cli = netius::cmd::make_cli(netius::cmd::Registration::lazy);  // only the groups named
    try {
        cli->parse(dispatch_args(argc, argv));
    } catch (const CLI::Success& e) {
        return cli->app->exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
        // A value from the environment: name the variable, which CLI11's message does not.
        if (auto source = cli->environment_source(e)) {
            print_failure(cli->chosen_path(), "environment " + *source + ": " + e.what());
            std::fprintf(stderr, "Run with --help for more information.\n");
            return kExitUsage;
        }
        cli->app->exit(e);  // CLI11's message and the --help hint
        return kExitUsage;
    }

    const std::string command = cli->chosen_path();
    try {
        cli->apply_config_files();  // --config FILE, ./netius.json
        if (!cli->log_level.empty())
            netius::init_logging(netius::parse_log_level(cli->log_level).value());
        const auto* action = cli->chosen_action();
        if (!action) {
            print_failure(command, cli->missing_command_message());
            return kExitUsage;
        }
        return (*action)();
    } catch (const netius::ExitStatus& e) {
        return e.code;
    } catch (const netius::UsageError& e) {
        print_failure(command, e.what());
        std::fprintf(stderr, "Run with --help for more information.\n");
        return kExitUsage;
    } catch (const netius::Error& e) {
        print_failure(command, e.what());
        return kExitFailure;
    } catch (const std::bad_alloc&) {
        print_failure(command, "out of memory");
        return kExitFailure;
    } catch (const std::exception& e) {
        print_failure(command, std::string("internal error: ") + e.what());
        return kExitFailure;
    }
}
