#include "crypto/dkim/tag_list.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace netius::crypto::dkim {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct GoodCase {
    const char* name;
    std::string text;
    Pairs tags;
};

const GoodCase kGood[] = {
    {"simple", "v=1; a=rsa-sha256", {{"v", "1"}, {"a", "rsa-sha256"}}},
    {"trailing_semicolon", "v=DKIM1; p=abc;", {{"v", "DKIM1"}, {"p", "abc"}}},
    {"no_spaces", "a=b;c=d", {{"a", "b"}, {"c", "d"}}},
    {"wsp_around", " \ta = b \t; c =d ", {{"a", "b"}, {"c", "d"}}},
    {"folded_between_tags", "a=b;\r\n c=d", {{"a", "b"}, {"c", "d"}}},
    {"folded_inside_value",
     "b=AAAA\r\n BBBB; h=From:\r\n\tTo",
     {{"b", "AAAA\r\n BBBB"}, {"h", "From:\r\n\tTo"}}},
    {"lf_fold", "b=AA\n BB", {{"b", "AA\n BB"}}},
    {"empty_value", "p=; k=rsa", {{"p", ""}, {"k", "rsa"}}},
    {"equals_in_value", "bh=abc=; b=x==", {{"bh", "abc="}, {"b", "x=="}}},
    {"name_with_digit_underscore", "x1_y=z", {{"x1_y", "z"}}},
    {"value_with_inner_space", "n=hello world", {{"n", "hello world"}}},
    {"utf8_value", "d=\xc3\xa9xample.com", {{"d", "\xc3\xa9xample.com"}}},
    // RFC 6376 §3.6.1 example record shape
    {"key_record",
     "v=DKIM1; k=rsa; t=y:s; p=MIGfMA0",
     {{"v", "DKIM1"}, {"k", "rsa"}, {"t", "y:s"}, {"p", "MIGfMA0"}}},
};

struct BadCase {
    const char* name;
    std::string text;
    std::string reason;
};

const BadCase kBad[] = {
    {"empty", "", "empty tag list"},
    {"only_space", "  ", "empty tag list"},
    {"only_semicolon", ";", "empty tag"},
    {"double_semicolon", "a=b;;c=d", "empty tag"},
    {"missing_equals", "a=b; flag", "missing '=' in 'flag'"},
    {"duplicate", "d=a; s=x; d=b", "duplicate tag 'd'"},
    {"empty_name", "=x", "invalid tag name ''"},
    {"name_starts_with_digit", "1a=x", "invalid tag name '1a'"},
    {"name_with_dash", "a-b=x", "invalid tag name 'a-b'"},
    {"name_with_space", "a b=x", "invalid tag name 'a b'"},
    {"control_char_in_value", std::string("a=x\x01y"), "invalid character in the value of 'a'"},
    {"nul_in_value", std::string("a=x\0y", 5), "invalid character in the value of 'a'"},
    {"line_break_without_fold", "a=b;\r\nc=d", "line break that is not folding whitespace"},
    {"bare_cr", "a=b\rc", "line break that is not folding whitespace"},
};

template <typename C>
std::string case_name(const ::testing::TestParamInfo<C>& i) {
    return i.param.name;
}

class TagListGood : public ::testing::TestWithParam<GoodCase> {};
class TagListBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(TagListGood, Parses) {
    auto r = parse_tag_list(GetParam().text);
    ASSERT_TRUE(std::holds_alternative<TagList>(r)) << std::get<TagListError>(r).reason;
    Pairs got;
    for (const Tag& t : std::get<TagList>(r).tags) got.emplace_back(t.name, t.value);
    EXPECT_EQ(got, GetParam().tags);
}

TEST_P(TagListBad, IsRejectedWithItsReason) {
    auto r = parse_tag_list(GetParam().text);
    ASSERT_TRUE(std::holds_alternative<TagListError>(r));
    EXPECT_EQ(std::get<TagListError>(r).reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(Dkim, TagListGood, ::testing::ValuesIn(kGood), case_name<GoodCase>);
INSTANTIATE_TEST_SUITE_P(Dkim, TagListBad, ::testing::ValuesIn(kBad), case_name<BadCase>);

TEST(TagList, FindIsCaseSensitive) {
    auto r = parse_tag_list("v=1; V=2");
    ASSERT_TRUE(std::holds_alternative<TagList>(r));
    const TagList& t = std::get<TagList>(r);
    EXPECT_EQ(t.find("v"), std::optional<std::string_view>("1"));
    EXPECT_EQ(t.find("V"), std::optional<std::string_view>("2"));
    EXPECT_EQ(t.find("x"), std::nullopt);
}

TEST(TagList, StripWhitespace) {
    EXPECT_EQ(strip_whitespace(" AB\r\n\tCD =\n "), "ABCD=");
    EXPECT_EQ(strip_whitespace(""), "");
}

}  // namespace
}  // namespace netius::crypto::dkim
