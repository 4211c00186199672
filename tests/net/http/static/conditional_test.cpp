#include "net/http/static/conditional.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/http/date_cache.hpp"

namespace netius::net::http {
namespace {

constexpr std::string_view kTag = "\"5e0d5da5.0-b\"";
constexpr std::time_t kModified = 1577934245;  // Thu, 02 Jan 2020 03:04:05 GMT
const Validators kValidators{kTag, kModified};

RequestHead head_with(std::vector<Header> headers) {
    RequestHead h;
    h.method = "GET";
    h.headers = std::move(headers);
    return h;
}

TEST(MakeFileEtag, QuotedHexOfTimeAndSize) {
    EXPECT_EQ(make_file_etag(1577934245, 0, 11), "\"5e0d5da5.0-b\"");
    EXPECT_EQ(make_file_etag(1577934245, 123456789, 0), "\"5e0d5da5.75bcd15-0\"");
    EXPECT_NE(make_file_etag(1, 2, 3), make_file_etag(1, 3, 3));  // sub-second changes count
}

struct ListCase {
    const char* name;
    std::string_view list;
    std::string_view etag;
    bool weak, want;
};

class EtagList : public ::testing::TestWithParam<ListCase> {};

TEST_P(EtagList, Matches) {
    const auto& c = GetParam();
    EXPECT_EQ(etag_list_matches(c.list, c.etag, c.weak), c.want);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rfc9110, EtagList, ::testing::Values(
    ListCase{"exact", "\"a\"", "\"a\"", false, true},
    ListCase{"star", "*", "\"a\"", false, true},
    ListCase{"in_list", "\"x\", \"a\" ,\"y\"", "\"a\"", false, true},
    ListCase{"comma_inside_tag", "\"x,\"a\"\"", "\"a\"", true, false},
    ListCase{"comma_inside_tag_matches_itself", "\"x,y\"", "\"x,y\"", false, true},
    ListCase{"other", "\"b\"", "\"a\"", true, false},
    ListCase{"unquoted_never_matches", "a", "\"a\"", true, false},  // netius' own form
    ListCase{"weak_request_weak_compare", "W/\"a\"", "\"a\"", true, true},
    ListCase{"weak_request_strong_compare", "W/\"a\"", "\"a\"", false, false},
    ListCase{"weak_ours_strong_compare", "\"a\"", "W/\"a\"", false, false},
    ListCase{"weak_both_weak_compare", "W/\"a\"", "W/\"a\"", true, true},
    ListCase{"malformed_stops", "\"b\", junk, \"a\"", "\"a\"", true, false},
    ListCase{"unterminated", "\"a", "\"a\"", true, false},
    ListCase{"empty", "", "\"a\"", true, false}),
    [](const auto& info) { return std::string(info.param.name); });
// clang-format on

struct PreconditionCase {
    const char* name;
    std::vector<Header> headers;
    Precondition want;
};

class Preconditions : public ::testing::TestWithParam<PreconditionCase> {};

TEST_P(Preconditions, InRfcOrder) {
    EXPECT_EQ(evaluate_preconditions(head_with(GetParam().headers), kValidators), GetParam().want);
}

constexpr std::string_view kAtModified = "Thu, 02 Jan 2020 03:04:05 GMT";
constexpr std::string_view kBefore = "Thu, 02 Jan 2020 03:04:04 GMT";
constexpr std::string_view kLater = "Fri, 03 Jan 2020 00:00:00 GMT";

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rfc9110, Preconditions, ::testing::Values(
    PreconditionCase{"none", {}, Precondition::kProceed},
    PreconditionCase{"inm_match", {{"If-None-Match", kTag}}, Precondition::kNotModified},
    PreconditionCase{"inm_weak_match", {{"If-None-Match", "W/\"5e0d5da5.0-b\""}}, Precondition::kNotModified},
    PreconditionCase{"inm_star", {{"If-None-Match", "*"}}, Precondition::kNotModified},
    PreconditionCase{"inm_other", {{"If-None-Match", "\"zz\""}}, Precondition::kProceed},
    PreconditionCase{"inm_second_line", {{"If-None-Match", "\"zz\""}, {"if-none-match", kTag}}, Precondition::kNotModified},
    PreconditionCase{"ims_same_second", {{"If-Modified-Since", kAtModified}}, Precondition::kNotModified},
    PreconditionCase{"ims_later", {{"If-Modified-Since", kLater}}, Precondition::kNotModified},
    PreconditionCase{"ims_before", {{"If-Modified-Since", kBefore}}, Precondition::kProceed},
    PreconditionCase{"ims_invalid_ignored", {{"If-Modified-Since", "yesterday"}}, Precondition::kProceed},
    PreconditionCase{"ims_rfc850", {{"If-Modified-Since", "Thursday, 02-Jan-20 03:04:05 GMT"}}, Precondition::kNotModified},
    PreconditionCase{"ims_asctime", {{"If-Modified-Since", "Thu Jan  2 03:04:05 2020"}}, Precondition::kNotModified},
    PreconditionCase{"inm_beats_ims", {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", kLater}}, Precondition::kProceed},
    PreconditionCase{"if_match_ok", {{"If-Match", kTag}}, Precondition::kProceed},
    PreconditionCase{"if_match_star", {{"If-Match", "*"}}, Precondition::kProceed},
    PreconditionCase{"if_match_fails", {{"If-Match", "\"zz\""}}, Precondition::kFailed},
    PreconditionCase{"if_match_weak_fails", {{"If-Match", "W/\"5e0d5da5.0-b\""}}, Precondition::kFailed},
    PreconditionCase{"ius_ok", {{"If-Unmodified-Since", kAtModified}}, Precondition::kProceed},
    PreconditionCase{"ius_fails", {{"If-Unmodified-Since", kBefore}}, Precondition::kFailed},
    PreconditionCase{"if_match_beats_ius", {{"If-Match", kTag}, {"If-Unmodified-Since", kBefore}}, Precondition::kProceed},
    PreconditionCase{"if_match_then_inm", {{"If-Match", kTag}, {"If-None-Match", kTag}}, Precondition::kNotModified}),
    [](const auto& info) { return std::string(info.param.name); });
// clang-format on

TEST(IfRange, StrongEtagOrExactDate) {
    EXPECT_TRUE(if_range_allows(head_with({}), kValidators));
    EXPECT_TRUE(if_range_allows(head_with({{"If-Range", kTag}}), kValidators));
    EXPECT_FALSE(if_range_allows(head_with({{"If-Range", "\"old\""}}), kValidators));
    EXPECT_FALSE(if_range_allows(head_with({{"If-Range", "W/\"5e0d5da5.0-b\""}}), kValidators));
    EXPECT_TRUE(if_range_allows(head_with({{"If-Range", kAtModified}}), kValidators));
    EXPECT_FALSE(if_range_allows(head_with({{"If-Range", kLater}}), kValidators));
    EXPECT_FALSE(if_range_allows(head_with({{"If-Range", "garbage"}}), kValidators));
    const Validators weak{"W/\"a\"", kModified};
    EXPECT_FALSE(if_range_allows(head_with({{"If-Range", "W/\"a\""}}), weak));
}

TEST(ParseHttpDate, TheThreeFormsAndNothingElse) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
    EXPECT_EQ(parse_http_date(format_http_date(kModified)), kModified);
    for (std::string_view bad :
         {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49 GMT",
          "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 19x4 08:49:37 GMT", "1994-11-06",
          "Sunday, 06-Nov-94 08:49:37", "Sun Nov 6 08:49:37 1994"})
        EXPECT_FALSE(parse_http_date(bad)) << bad;
}

}  // namespace
}  // namespace netius::net::http
