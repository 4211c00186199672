// decode_path and append_percent_encoded (request_target.hpp): the first line of defence of
// the file server. The kernel-level containment is tested in static/path_resolver_test.cpp.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "net/http/request_target.hpp"

namespace netius::net::http {
namespace {

struct PathCase {
    const char* name;
    std::string_view raw;
    std::optional<std::string> want;
};

class DecodePath : public ::testing::TestWithParam<PathCase> {};

TEST_P(DecodePath, DecodesOnceAndNormalises) {
    EXPECT_EQ(decode_path(GetParam().raw), GetParam().want);
}

const std::optional<std::string> kRefused;

// clang-format off
INSTANTIATE_TEST_SUITE_P(Paths, DecodePath, ::testing::Values(
    PathCase{"root", "/", "/"},
    PathCase{"file", "/a.txt", "/a.txt"},
    PathCase{"dir", "/d1/d2/", "/d1/d2/"},
    PathCase{"space", "/sp%20ace.css", "/sp ace.css"},
    PathCase{"utf8", "/%C3%A9t%C3%A9", "/\xC3\xA9t\xC3\xA9"},
    PathCase{"empty_segments", "//a///b//", "/a/b/"},
    PathCase{"dot", "/a/./b", "/a/b"},
    PathCase{"trailing_dot", "/a/.", "/a/"},
    PathCase{"dotdot_inside", "/a/b/../c", "/a/c"},
    PathCase{"dotdot_to_root", "/a/..", "/"},
    PathCase{"encoded_dotdot_inside", "/a/b/%2e%2E/c", "/a/c"},
    PathCase{"double_encoding_is_a_name", "/%252e%252e/etc", "/%2e%2e/etc"},
    PathCase{"backslash_is_a_name", "/..%5c..%5cetc", "/..\\..\\etc"},
    PathCase{"overlong_utf8_is_a_name", "/%c0%ae%c0%ae/x", "/\xC0\xAE\xC0\xAE/x"},
    PathCase{"three_dots_is_a_name", "/.../x", "/.../x"},
    PathCase{"dotfile", "/.env", "/.env"},
    PathCase{"dotdot_above_root", "/..", kRefused},
    PathCase{"dotdot_sibling", "/../www2/s.txt", kRefused},
    PathCase{"encoded_dotdot_above_root", "/%2e%2e/etc/passwd", kRefused},
    PathCase{"mixed_encoded_dotdot", "/a/.%2e/%2E./x", kRefused},
    PathCase{"deep_climb", "/a/b/../../../x", kRefused},
    PathCase{"encoded_slash", "/a%2Fb", kRefused},
    PathCase{"encoded_slash_lower", "/..%2f..%2fetc", kRefused},
    PathCase{"nul", "/a%00.txt", kRefused},
    PathCase{"bad_escape", "/a%2", kRefused},
    PathCase{"bad_hex", "/a%zz", kRefused}),
    [](const auto& info) { return std::string(info.param.name); });
// clang-format on

TEST(PercentEncode, OnlyUnreservedStayAsTheyAre) {
    std::string out;
    append_percent_encoded(out, "a b/c?d#e%f&g'h\"i<j>\\k:l~m.n_o-p\xC3\xA9", true);
    EXPECT_EQ(out, "a%20b/c%3Fd%23e%25f%26g%27h%22i%3Cj%3E%5Ck%3Al~m.n_o-p%C3%A9");
    out.clear();
    append_percent_encoded(out, "a/b", false);
    EXPECT_EQ(out, "a%2Fb");
}

TEST(PercentEncode, RoundTripsThroughDecodePath) {
    std::string name = "x y%z\xff";
    std::string encoded = "/";
    append_percent_encoded(encoded, name, false);
    EXPECT_EQ(decode_path(encoded), "/" + name);
}

}  // namespace
}  // namespace netius::net::http
