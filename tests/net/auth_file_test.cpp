// The users file of --auth-file and serve proxy's --auth (net/auth_file.hpp); its
// allowed_from= field is tested with the relay policy that reads it.
#include "net/auth_file.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net {
namespace {

TEST(AuthFile, UsersAndHashesSplitAtTheFirstColon) {
    AuthFile f = AuthFile::parse(
        "# users\r\njoe:$argon2id$v=19$m=65536,t=2,p=1$x$y\n\nann:sha256:6e65:abcd\r\n"
        "bob:plain:with:colons\n",
        "users");
    EXPECT_EQ(f.size(), 3u);
    ASSERT_NE(f.find("ann"), nullptr);
    EXPECT_EQ(*f.find("ann"), "sha256:6e65:abcd");
    EXPECT_EQ(*f.find("bob"), "plain:with:colons");
    EXPECT_EQ(f.find("nobody"), nullptr);
    EXPECT_TRUE(AuthFile::is_slow(*f.find("joe")));
    EXPECT_FALSE(AuthFile::is_slow(*f.find("ann")));
}

TEST(AuthFile, MalformedLinesNameTheLine) {
    for (const char* bad : {"joe\n", ":hash\n", "joe:\n", "a:x\na:y\n"}) {
        try {
            AuthFile::parse(bad, "users");
            ADD_FAILURE() << bad;
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find("users:"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace netius::net
