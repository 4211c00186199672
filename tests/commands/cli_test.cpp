// The lazy command tree main() builds: only the groups a command line names register their
// commands, it parses as the whole tree does, and materialize() makes it the whole tree.
#include <gtest/gtest.h>

#include <cstdlib>

#include "commands/cli.hpp"
#include "commands/cli_doc.hpp"

namespace netius::cmd {
namespace {

CLI::App* group(Cli& cli, const std::string& name) {
    return cli.app->get_subcommand(name);
}

std::size_t commands_of(Cli& cli, const std::string& name) {
    return group(cli, name)->get_subcommands([](CLI::App*) { return true; }).size();
}

// Sets an environment variable for one test.
struct EnvGuard {
    explicit EnvGuard(const char* name, const char* value) : name_(name) {
        ::setenv(name, value, 1);
    }
    ~EnvGuard() { ::unsetenv(name_); }
    const char* name_;
};

TEST(LazyCli, OnlyTheGroupNamedRegistersItsCommands) {
    auto cli = make_cli(Registration::lazy);
    EXPECT_EQ(commands_of(*cli, "serve"), 0u);
    EXPECT_EQ(commands_of(*cli, "auth"), 0u);
    cli->parse({"netius", "auth", "verify", "sha256:00:00", "secret"});
    EXPECT_EQ(cli->chosen_path(), "auth verify");
    ASSERT_NE(cli->chosen_action(), nullptr);
    EXPECT_EQ(commands_of(*cli, "auth"), 2u);
    EXPECT_EQ(commands_of(*cli, "serve"), 0u);
    EXPECT_EQ(commands_of(*cli, "dkim"), 0u);
}

TEST(LazyCli, MaterializedTreeIsTheWholeTree) {
    auto lazy = make_cli(Registration::lazy);
    EXPECT_THROW(lazy->parse({"netius", "dkim", "sign", "--help"}), CLI::CallForHelp);
    lazy->materialize();
    lazy->materialize();  // idempotent
    // Same commands, options, order and help: the generated man pages and completions agree.
    EXPECT_EQ(generate_doc_files(*lazy->app), generate_doc_files(*make_cli()->app));
}

TEST(LazyCli, GroupAloneListsItsCommands) {
    auto cli = make_cli(Registration::lazy);
    cli->parse({"netius", "dkim"});
    EXPECT_EQ(cli->chosen_action(), nullptr);
    EXPECT_NE(cli->missing_command_message().find("missing command (generate, sign, verify)"),
              std::string::npos)
        << cli->missing_command_message();
}

TEST(LazyCli, EnvironmentValueOfTheCommandGivenIsNamedInItsError) {
    EnvGuard port("PORT", "abc");
    auto cli = make_cli(Registration::lazy);
    try {
        cli->parse({"netius", "serve", "hello"});
        FAIL() << "PORT=abc was accepted";
    } catch (const CLI::ParseError& e) {
        EXPECT_EQ(cli->environment_source(e), "PORT=abc");
    }
    // Another command does not read it; the flag beats it.
    make_cli(Registration::lazy)->parse({"netius", "auth", "verify", "sha256:00:00", "x"});
    make_cli(Registration::lazy)->parse({"netius", "serve", "hello", "--port", "8080"});
}

}  // namespace
}  // namespace netius::cmd
