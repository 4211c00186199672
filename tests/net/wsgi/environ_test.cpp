#include "net/wsgi/environ.hpp"

#include <gtest/gtest.h>

#include <pybind11/embed.h>

#include "net/http/h1/request_parser.hpp"
#include "python_test_support.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

TEST(WsgiHeaderKey, Table) {
    struct Case {
        const char* name;
        const char* key;  // nullptr: dropped
    } cases[] = {
        {"Host", "HTTP_HOST"},
        {"x-real-ip", "HTTP_X_REAL_IP"},
        {"Content-Type", "CONTENT_TYPE"},
        {"content-length", "CONTENT_LENGTH"},
        {"X_Real_Ip", nullptr},  // CVE-2015-0219
        {"_", nullptr},
    };
    for (const Case& c : cases) {
        auto key = header_key(c.name);
        if (c.key)
            EXPECT_EQ(key.value_or("<none>"), c.key) << c.name;
        else
            EXPECT_FALSE(key) << c.name;
    }
}

TEST(WsgiSplitMount, Table) {
    struct Case {
        const char* mount;
        const char* path;
        const char* script;  // nullptr: not under the mount
        const char* info;
    } cases[] = {
        {"", "/a%20b", "", "/a b"},
        {"", "/", "", "/"},
        {"/app", "/app", "/app", ""},
        {"/app", "/app/", "/app", "/"},
        {"/app", "/app/x%2Fy", "/app", "/x/y"},
        {"/app", "/application", nullptr, nullptr},
        {"/app", "/", nullptr, nullptr},
    };
    for (const Case& c : cases) {
        auto sp = split_mount(c.mount, c.path);
        if (!c.script) {
            EXPECT_FALSE(sp) << c.path;
            continue;
        }
        ASSERT_TRUE(sp) << c.path;
        EXPECT_EQ(sp->script_name, c.script);
        EXPECT_EQ(sp->path_info, c.info);
    }
}

TEST(WsgiPercentDecode, KeepsBadEscapes) {
    EXPECT_EQ(percent_decode("%41%4a%zz%4"), "AJ%zz%4");
}

TEST(WsgiEnviron, RemoteAddressAndPort) {
    testing::ensure_python();
    http::RequestHead head;
    head.method = "GET";
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1:4000", "127.0.0.1"},
        {"0.0.0.0:1", "0.0.0.0"},
        {"10.200.3.45:65535", "10.200.3.45"},
        {"255.255.255.255:80", "255.255.255.255"},
        {"[::1]:443", "::1"},
    };
    py::object none = py::none();
    for (const auto& [address, host] : cases) {
        const InetAddress peer = InetAddress::parse(address);
        const http::Request req{head, {}, peer, {}};
        py::dict env = build_environ(req, {}, EnvironConfig(), {none, none, none, true});
        EXPECT_EQ(env["REMOTE_ADDR"].cast<std::string>(), host) << address;
        EXPECT_EQ(env["REMOTE_PORT"].cast<std::string>(), std::to_string(peer.port())) << address;
    }
}

TEST(WsgiEnviron, FromRequest) {
    testing::ensure_python();
    const std::string wire =
        "POST /app/p%C3%A9?q=1 HTTP/1.1\r\nHost: example.org:8080\r\nContent-Type: text/x\r\n"
        "Content-Length: 3\r\nX-A: 1\r\nX-A: 2\r\nX_A: spoof\r\nCookie: a=1\r\nCookie: b=2\r\n"
        "X-Forwarded-Proto: https\r\n\r\n";
    const http::Limits limits;
    http::RequestParser parser{limits};
    http::RequestHead head;
    http::ParseResult parsed = parser.parse(wire, head);
    ASSERT_TRUE(std::holds_alternative<http::Complete>(parsed))
        << (std::holds_alternative<http::ParseError>(parsed)
                ? std::get<http::ParseError>(parsed).reason
                : "incomplete");
    const InetAddress peer = InetAddress::parse("127.0.0.1:4000");
    const http::Request req{head, "abc", peer, {}};
    EnvironConfig config;
    config.server_name = "127.0.0.1";
    config.server_port = "9090";
    py::object input = py::str("input"), errors = py::str("errors");
    auto sp = split_mount("/app", head.path);
    ASSERT_TRUE(sp);

    py::dict env = build_environ(req, *sp, config, {input, errors, py::none(), true});
    auto get = [&](const char* k) { return env[k].cast<std::string>(); };
    EXPECT_EQ(get("REQUEST_METHOD"), "POST");
    EXPECT_EQ(get("SCRIPT_NAME"), "/app");
    EXPECT_EQ(get("PATH_INFO"), "/p\xC3\x83\xC2\xA9");  // UTF-8 bytes as latin-1 code points
    EXPECT_EQ(get("QUERY_STRING"), "q=1");
    EXPECT_EQ(get("SERVER_NAME"), "example.org");
    EXPECT_EQ(get("SERVER_PORT"), "8080");
    EXPECT_EQ(get("SERVER_PROTOCOL"), "HTTP/1.1");
    EXPECT_EQ(get("REMOTE_ADDR"), "127.0.0.1");
    EXPECT_EQ(get("CONTENT_TYPE"), "text/x");
    EXPECT_EQ(get("CONTENT_LENGTH"), "3");
    EXPECT_EQ(get("HTTP_X_A"), "1, 2");
    EXPECT_EQ(get("HTTP_COOKIE"), "a=1; b=2");
    EXPECT_FALSE(env.contains("HTTP_CONTENT_TYPE"));
    EXPECT_EQ(get("wsgi.url_scheme"), "http");  // X-Forwarded-Proto: no trusted proxy
    EXPECT_TRUE(py::object(env["wsgi.input"]).is(input));
    EXPECT_TRUE(env["wsgi.input_terminated"].cast<bool>());

    config.trusted = AllowList::parse("127.0.0.1");
    config.trust_any = true;
    EXPECT_EQ(build_environ(req, *sp, config, {input, errors, py::none(), true})["wsgi.url_scheme"]
                  .cast<std::string>(),
              "https");
}

}  // namespace
}  // namespace netius::net::wsgi
