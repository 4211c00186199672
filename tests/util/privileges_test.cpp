// resolve_identity (util/privileges.hpp): `--user` specs to ids, checked before anything binds.
#include "util/privileges.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace netius {
namespace {

TEST(ResolveIdentity, NamesNumbersAndGroups) {
    const Identity nobody = resolve_identity("nobody");
    EXPECT_EQ(nobody.uid, 65534u);
    EXPECT_EQ(nobody.gid, 65534u);  // its primary group
    EXPECT_EQ(nobody.name, "nobody");
    EXPECT_EQ(resolve_identity("65534").uid, 65534u);
    EXPECT_EQ(resolve_identity("65534").gid, 65534u);
    const Identity daemon_root = resolve_identity("daemon:root");
    EXPECT_EQ(daemon_root.uid, 1u);
    EXPECT_EQ(daemon_root.gid, 0u);
    const Identity numbers = resolve_identity("4242:4343");  // need not exist in passwd
    EXPECT_EQ(numbers.uid, 4242u);
    EXPECT_EQ(numbers.gid, 4343u);
}

TEST(ResolveIdentity, WhatDoesNotExistIsAUsageError) {
    for (const char* spec :
         {"no-such-user-netius", "nobody:no-such-group-netius", "", ":0", "nobody:", "-1"})
        EXPECT_THROW(resolve_identity(spec), UsageError) << spec;
}

}  // namespace
}  // namespace netius
