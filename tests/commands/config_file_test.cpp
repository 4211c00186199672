// Configuration files on a small command tree: precedence (flag > environment > --config >
// netius.json > default), TOML sections and flags, netius.json types, and the errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "commands/config_file.hpp"
#include "commands/config_values.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

namespace fs = std::filesystem;

// root --level, `serve hello` with --port (PORT), --message (MESSAGE), --ssl (SSL),
// --keep-alive/--no-keep-alive, --allowed (ALLOWED), --name (repeatable), --count.
struct Tree {
    CLI::App root{"test", "netius"};
    std::string level;
    int port = 9090;
    std::string message = "Hello World";
    std::string allowed;
    bool ssl = false;
    bool keep_alive = true;
    std::vector<std::string> names;
    int count = 1;
    CLI::App* hello = nullptr;

    Tree() {
        root.fallthrough();
        root.add_option("--level", level);
        CLI::App* serve = root.add_subcommand("serve");
        hello = serve->add_subcommand("hello");
        hello->add_option("--port", port)->envname("NETIUS_TEST_PORT");
        hello->add_option("--message", message)->envname("NETIUS_TEST_MESSAGE");
        hello->add_option("--allowed", allowed)->envname("NETIUS_TEST_ALLOWED");
        hello->add_flag("--ssl", ssl)->envname("NETIUS_TEST_SSL");
        hello->add_flag("--keep-alive,!--no-keep-alive", keep_alive);
        hello->add_option("--name", names)->envname("NETIUS_TEST_NAMES");
        hello->add_option("--count", count)->check(CLI::Range(1, 9));
        root.add_subcommand("other")->add_option("--port", port);
    }

    FileValues parse(std::vector<std::string> args, const std::string& toml,
                     const std::string& json) {
        args.insert(args.begin(), "netius");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        root.parse(static_cast<int>(argv.size()), argv.data());
        return apply_config_files(root, toml, json);
    }
};

class ConfigFile : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("netius-config-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override {
        fs::remove_all(dir_);
        for (const char* env : {"NETIUS_TEST_PORT", "NETIUS_TEST_MESSAGE", "NETIUS_TEST_SSL"})
            ::unsetenv(env);
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    std::string missing() const { return (dir_ / "none.json").string(); }

    fs::path dir_;
};

TEST_F(ConfigFile, FlagBeatsEnvironmentBeatsTomlBeatsJsonBeatsDefault) {
    auto toml = write("a.toml",
                      "level = \"DEBUG\"\n[serve.hello]\nport = 2\nmessage = \"toml\"\n"
                      "allowed = \"toml\"\n");
    auto json = write("netius.json", R"({"NETIUS_TEST_PORT": 3, "NETIUS_TEST_MESSAGE": "json",
        "NETIUS_TEST_ALLOWED": "json", "NETIUS_TEST_SSL": true, "NETIUS_TEST_NAMES": ["a", "b"]})");
    ::setenv("NETIUS_TEST_MESSAGE", "env", 1);
    Tree t;
    auto applied = t.parse({"serve", "hello", "--port", "1"}, toml, json);
    EXPECT_EQ(t.port, 1);                                      // flag
    EXPECT_EQ(t.message, "env");                               // environment
    EXPECT_EQ(t.allowed, "toml");                              // --config
    EXPECT_EQ(t.level, "DEBUG");                               // --config, global key
    EXPECT_TRUE(t.ssl);                                        // netius.json, a JSON boolean
    EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));  // a JSON list, repeatable
    EXPECT_TRUE(t.keep_alive);                                 // default
    EXPECT_EQ(applied.size(), 4u);
    EXPECT_EQ(applied.at(t.hello->get_option("--allowed")), Source::ConfigFile);
    EXPECT_EQ(applied.at(t.hello->get_option("--ssl")), Source::NetiusJson);
}

TEST_F(ConfigFile, NoFilesChangeNothing) {
    Tree t;
    EXPECT_TRUE(t.parse({"serve", "hello"}, "", missing()).empty());
    EXPECT_EQ(t.port, 9090);
    EXPECT_EQ(t.message, "Hello World");
}

TEST_F(ConfigFile, TomlFlagsAndNegatedFlags) {
    auto toml = write("a.toml", "[serve.hello]\nssl = true\nno-keep-alive = true\n");
    Tree t;
    t.parse({"serve", "hello"}, toml, missing());
    EXPECT_TRUE(t.ssl);
    EXPECT_FALSE(t.keep_alive);
}

TEST_F(ConfigFile, OtherCommandsSectionsAreCheckedNotApplied) {
    auto toml = write("a.toml", "[other]\nport = 7\n");
    Tree t;
    t.parse({"serve", "hello"}, toml, missing());
    EXPECT_EQ(t.port, 9090);
}

TEST_F(ConfigFile, JsonListForASingleValueIsJoinedWithSemicolons) {
    auto json = write("netius.json", R"({"NETIUS_TEST_ALLOWED": ["127.0.0.1", "10.0.0.0/8"]})");
    Tree t;
    t.parse({"serve", "hello"}, "", json);
    EXPECT_EQ(t.allowed, "127.0.0.1;10.0.0.0/8");
}

TEST_F(ConfigFile, MistakesAreUsageErrorsNamingFileAndKey) {
    struct Case {
        std::string toml, json, fragment;
    };
    const Case cases[] = {
        {"[serve.hello]\nprot = 1\n", "",
         "unknown option 'serve.hello.prot' (did you mean 'port'?)"},
        {"[serve.nope]\nport = 1\n", "", "unknown option 'serve.nope.port'"},
        // A command's option at the top: the section it belongs in is named.
        {"port = 1\n", "",
         "unknown option 'port': it is an option of a command; put it in its "
         "section: [serve.hello]"},
        {"[serve.hello]\nmesage = \"x\"\n", "", "(did you mean 'message'?)"},
        {"help = true\n", "", "unknown option 'help'"},
        {"[serve.hello]\ncount = 12\n", "", "serve.hello.count"},
        {"[serve.hello]\nport = \"x\"\n", "", "serve.hello.port"},
        {"", R"({"NETIUS_TEST_PORT": "x"})", "netius.json: NETIUS_TEST_PORT"},
        {"", R"({"NETIUS_TEST_PORT": {"a": 1}})", "netius.json: NETIUS_TEST_PORT"},
        {"", R"({"NETIUS_TEST_PORT": 1)", "netius.json"},
        {"", "[1]", "expected one JSON object"},
    };
    for (const auto& c : cases) {
        auto toml = c.toml.empty() ? "" : write("a.toml", c.toml);
        auto json = c.json.empty() ? missing() : write("netius.json", c.json);
        Tree t;
        try {
            t.parse({"serve", "hello"}, toml, json);
            ADD_FAILURE() << "no error for " << c.toml << c.json;
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(c.fragment), std::string::npos) << e.what();
        }
    }
    Tree t;
    EXPECT_THROW(t.parse({"serve", "hello"}, (dir_ / "none.toml").string(), missing()), UsageError);
}

TEST(ConfigValues, SecretsAreMaskedPathsAreNot) {
    CLI::App app;
    std::string a, b, c, d;
    std::vector<std::string> headers;
    auto* password = app.add_option("--smarthost-password", a);
    auto* token = app.add_option("--api", b)->envname("API_TOKEN");
    auto* path = app.add_option("--passphrase-file", c);
    auto* plain = app.add_option("--message", d);
    auto* header = app.add_option("--header", headers);
    EXPECT_EQ(toml_value(*password, {"hunter2"}), "\"********\"");
    EXPECT_EQ(toml_value(*token, {"abc"}), "\"********\"");
    EXPECT_EQ(toml_value(*path, {"/etc/key.pass"}), "\"/etc/key.pass\"");
    EXPECT_EQ(toml_value(*plain, {"say \"hi\""}), "'say \"hi\"'");
    EXPECT_EQ(toml_value(*plain, {"a\nb"}), "\"a\\u000ab\"");
    EXPECT_EQ(toml_value(*plain, {"8080"}), "8080");
    EXPECT_EQ(toml_value(*plain, {"007"}), "\"007\"");
    EXPECT_EQ(toml_value(*header, {"Authorization: Basic eDp5", "X-A: b"}),
              "[\"Authorization: ********\", \"X-A: b\"]");
}

}  // namespace
}  // namespace netius::cmd
