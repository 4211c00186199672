// netius' proxy.json read into serve proxy's RouteConfig: every key netius users can write
// (hosts with "default", alias, redirect's three forms, forward, sts, strategy), what is
// ignored, how it adds to a config, and errors that name the file and the key.
#include "commands/proxy_json.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

namespace fs = std::filesystem;
using net::proxy::RouteConfig;
using net::proxy::RouteTable;
using net::proxy::Strategy;

class ProxyJson : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("netius-proxy-json-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& text) {
        const fs::path path = dir_ / "proxy.json";
        std::ofstream(path) << text;
        return path.string();
    }
    RouteConfig load(const std::string& text) {
        RouteConfig config;
        load_netius_json(write(text), config);
        return config;
    }
    // The message of the netius::Error loading `text` throws.
    std::string error(const std::string& text) {
        const std::string path = write(text);
        try {
            RouteConfig config;
            load_netius_json(path, config);
        } catch (const Error& e) {
            return e.what();
        }
        ADD_FAILURE() << "no error for " << text;
        return {};
    }

    fs::path dir_;
};

TEST_F(ProxyJson, ReadsWhatANetiusUserWrites) {
    const RouteConfig c = load(R"({
        "hosts": {"example.com": "http://127.0.0.1:8080",
                  "*.Example.org": ["http://a:1", "https://b/base/"],
                  "default": "http://fallback"},
        "alias": {"www.example.com": "example.com"},
        "redirect": {"old.example": "new.example",
                     "r2.example": ["new.example", "https"],
                     "r3.example": ["new.example", "https", "/landing"]},
        "forward": "http://not-used",
        "sts": 31536000,
        "strategy": "smart",
        "port": 8080, "resolve": false, "reuse": true, "trust_origin": false,
        "regex": [], "error_urls": {"a": "b"}, "auth": "ignored"
    })");
    ASSERT_EQ(c.routes.size(), 3u);
    EXPECT_EQ(c.routes[0].host, "*.example.org");  // nlohmann keeps keys sorted
    ASSERT_EQ(c.routes[0].upstreams.size(), 2u);
    EXPECT_EQ(c.routes[0].upstreams[1].target, "/base");
    EXPECT_EQ(c.routes[1].host, "example.com");
    EXPECT_EQ(c.routes[1].upstreams.at(0).port, 8080);
    EXPECT_EQ(c.routes[2].host, "");  // "default" is the default pool, last; forward unused
    EXPECT_EQ(c.routes[2].upstreams.at(0).host, "fallback");
    EXPECT_EQ(c.aliases, (std::map<std::string, std::string>{{"www.example.com", "example.com"}}));
    EXPECT_EQ(c.redirects,
              (std::map<std::string, std::string>{{"old.example", "new.example"},
                                                  {"r2.example", "https://new.example"},
                                                  {"r3.example", "https://new.example/landing"}}));
    EXPECT_EQ(c.sts, 31536000u);
    EXPECT_EQ(c.strategy, Strategy::kSmart);
    EXPECT_TRUE(c.auth.empty());
}

TEST_F(ProxyJson, RoutesAsNetiusDid) {
    const RouteTable t(load(R"({"hosts": {"app.local": ["http://app1", "http://app2"]},
                                "alias": {"www.app.local": "app.local"},
                                "forward": "http://forward"})"));
    const auto app = t.find("WWW.app.local:8080", "/x");
    ASSERT_NE(app.route, nullptr);
    EXPECT_EQ(app.route->upstreams.size(), 2u);
    const auto other = t.find("unknown.local", "/");
    ASSERT_NE(other.route, nullptr);
    EXPECT_EQ(other.route->upstreams.at(0).host, "forward");
}

TEST_F(ProxyJson, ForwardListNullsAndAnEmptyObject) {
    RouteConfig c = load(R"({"forward": ["http://f1", "https://f2"], "hosts": null,
                             "sts": null, "strategy": null})");
    ASSERT_EQ(c.routes.size(), 1u);
    EXPECT_EQ(c.routes[0].host, "");
    EXPECT_EQ(c.routes[0].upstreams.size(), 2u);
    EXPECT_EQ(c.sts, 0u);
    EXPECT_EQ(c.strategy, Strategy::kRobin);

    c = load("{}");
    EXPECT_TRUE(c.routes.empty());
    EXPECT_TRUE(c.aliases.empty());
}

TEST_F(ProxyJson, AddsToAConfig) {
    RouteConfig c;
    c.routes.push_back(net::proxy::parse_route("cli.example=http://cli"));
    c.aliases = {{"a.example", "cli.example"}};
    c.sts = 60;
    load_netius_json(write(R"({"hosts": {"file.example": "http://file"},
                               "alias": {"a.example": "file.example", "b.example": "x"},
                               "sts": 0, "strategy": "robin"})"),
                     c);
    ASSERT_EQ(c.routes.size(), 2u);
    EXPECT_EQ(c.routes[0].host, "cli.example");
    EXPECT_EQ(c.routes[1].host, "file.example");
    EXPECT_EQ(c.aliases.at("a.example"), "cli.example");  // what config held is kept
    EXPECT_EQ(c.aliases.at("b.example"), "x");
    EXPECT_EQ(c.sts, 0u);  // the file's value replaces it
}

TEST_F(ProxyJson, ErrorsNameTheFileAndTheKey) {
    struct Bad {
        const char* json;
        const char* key;   // "" when the error is about the whole file
        const char* says;  // part of the reason
    };
    const Bad cases[] = {
        {"{\"hosts\": ", "", "parse error"},
        {"[1, 2]", "", "expected one JSON object"},
        {R"({"hosts": "http://x"})", "hosts: ", "expected an object"},
        {R"({"hosts": {"a.example": "ftp://x"}})", "hosts.a.example: ", "unsupported scheme"},
        {R"({"hosts": {"a.example": 5}})", "hosts.a.example: ", "URL"},
        {R"({"hosts": {"a.example": []}})", "hosts.a.example: ", "empty"},
        {R"({"hosts": {"a.example": ["http://x", null]}})", "hosts.a.example: ", "URL"},
        {R"({"hosts": {"a.example": "http://u:p@x"}})", "hosts.a.example: ", "user:password@"},
        {R"({"hosts": {"a.example": "http://x/?q"}})", "hosts.a.example: ", "query"},
        {R"({"hosts": {"a.example:8080": "http://x"}})", "hosts.a.example:8080: ", "port"},
        {R"({"hosts": {"a b": "http://x"}})", "hosts.a b: ", "invalid character"},
        {R"({"forward": 1})", "forward: ", "URL"},
        {R"({"alias": ["a", "b"]})", "alias: ", "expected an object"},
        {R"({"alias": {"a.example": 1}})", "alias.a.example: ", "expected text"},
        {R"({"alias": {"a.example": ""}})", "alias.a.example: ", "expected text"},
        {R"({"redirect": {"a.example": ["b", "ftp"]}})", "redirect.a.example: ", "http or https"},
        {R"({"redirect": {"a.example": ["b", "https", "x"]}})", "redirect.a.example: ", "'/'"},
        {R"({"redirect": {"a.example": []}})", "redirect.a.example: ", "target"},
        {R"({"redirect": {"a.example": ["b", "http", "/", "x"]}})",
         "redirect.a.example: ", "target"},
        {R"({"sts": -1})", "sts: ", "seconds"},
        {R"({"sts": 1.5})", "sts: ", "seconds"},
        {R"({"sts": "60"})", "sts: ", "seconds"},
        {R"({"strategy": "fastest"})", "strategy: ", "'fastest'"},
        {R"({"strategy": 1})", "strategy: ", "expected text"},
    };
    const std::string path = (dir_ / "proxy.json").string();
    for (const Bad& b : cases) {
        const std::string e = error(b.json);
        EXPECT_EQ(e.rfind(path + ": " + b.key, 0), 0u) << b.json << " -> " << e;
        EXPECT_NE(e.find(b.says), std::string::npos) << b.json << " -> " << e;
    }
}

TEST_F(ProxyJson, MissingFileIsAnError) {
    RouteConfig c;
    const std::string path = (dir_ / "none.json").string();
    try {
        load_netius_json(path, c);
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace netius::cmd
