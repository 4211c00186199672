#include "net/wsgi/start_response.hpp"

#include <gtest/gtest.h>

namespace netius::net::wsgi {
namespace {

TEST(WsgiStatus, Table) {
    struct Case {
        const char* status;
        bool ok;
    } cases[] = {
        {"200 OK", true},
        {"404 Not Found", true},
        {"599 x", true},
        {"200", false},
        {"200OK", false},
        {"20 OK", false},
        {"2000 OK", false},
        {"abc OK", false},
        {"099 Low", false},
        {"200 OK\r\nX: y", false},
        {"", false},
        {"299 Whatever", true},
        {"200 caf\xe9\tok", true},
        {"200 a\x01b", false},
        {"200 a\x7f", false},
        {"200 a\nb", false},
        {"200 ", true},
    };
    for (const Case& c : cases) EXPECT_EQ(!status_error(c.status), c.ok) << c.status;
}

TEST(WsgiHeader, Table) {
    struct Case {
        const char* name;
        const char* value;
        bool ok;
    } cases[] = {
        {"Content-Type", "text/plain", true},
        {"X-Empty", "", true},
        {"Set-Cookie", "a=1; Path=/", true},
        {"Bad Name", "x", false},
        {"X:Colon", "x", false},
        {"", "x", false},
        {"Status", "200", false},
        {"Connection", "close", false},
        {"transfer-encoding", "chunked", false},
        {"Keep-Alive", "5", false},
        {"Upgrade", "h2c", false},
        {"X-Split", "a\r\nInjected: 1", false},
        {"X-Lf", "a\nb", false},
    };
    for (const Case& c : cases) EXPECT_EQ(!header_error(c.name, c.value), c.ok) << c.name;
}

}  // namespace
}  // namespace netius::net::wsgi
