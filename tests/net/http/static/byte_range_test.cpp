#include "net/http/static/byte_range.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netius::net::http {
namespace {

struct RangeCase {
    const char* name;
    std::string_view value;
    std::uint64_t length;
    RangeOutcome want;
    std::vector<ByteRange> ranges;
};

void PrintTo(const RangeCase& c, std::ostream* os) {
    *os << c.name;
}

class ResolveRanges : public ::testing::TestWithParam<RangeCase> {};

TEST_P(ResolveRanges, AgainstTheLength) {
    const RangeCase& c = GetParam();
    std::vector<ByteRange> got = {{7, 7}};  // cleared first
    EXPECT_EQ(resolve_ranges(c.value, c.length, got), c.want);
    EXPECT_EQ(got, c.ranges);
}

using K = RangeOutcome;

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rfc9110, ResolveRanges, ::testing::Values(
    RangeCase{"single", "bytes=2-5", 11, K::kSatisfiable, {{2, 5}}},
    RangeCase{"unit_is_case_insensitive", "Bytes=2-5", 11, K::kSatisfiable, {{2, 5}}},
    RangeCase{"open_ended", "bytes=3-", 11, K::kSatisfiable, {{3, 10}}},
    RangeCase{"suffix", "bytes=-3", 11, K::kSatisfiable, {{8, 10}}},  // netius read 0-3
    RangeCase{"suffix_longer_than_file", "bytes=-100", 11, K::kSatisfiable, {{0, 10}}},
    RangeCase{"last_clamped", "bytes=5-100", 11, K::kSatisfiable, {{5, 10}}},
    RangeCase{"whole", "bytes=0-", 11, K::kSatisfiable, {{0, 10}}},
    RangeCase{"last_byte", "bytes=10-10", 11, K::kSatisfiable, {{10, 10}}},
    RangeCase{"multi_in_order", "bytes=0-1,3-4", 11, K::kSatisfiable, {{0, 1}, {3, 4}}},
    RangeCase{"multi_sorted", "bytes=6-7, 0-1", 11, K::kSatisfiable, {{0, 1}, {6, 7}}},
    RangeCase{"overlapping_coalesced", "bytes=0-5,3-8", 11, K::kSatisfiable, {{0, 8}}},
    RangeCase{"adjacent_coalesced", "bytes=0-1,2-3", 11, K::kSatisfiable, {{0, 3}}},
    RangeCase{"contained_coalesced", "bytes=0-9,2-3,-2", 11, K::kSatisfiable, {{0, 10}}},
    RangeCase{"repeated_coalesced", "bytes=1-1,1-1,1-1", 11, K::kSatisfiable, {{1, 1}}},
    RangeCase{"unsatisfiable_dropped", "bytes=50-60,0-0", 11, K::kSatisfiable, {{0, 0}}},
    RangeCase{"empty_elements_allowed", "bytes=,0-0,", 11, K::kSatisfiable, {{0, 0}}},
    RangeCase{"huge_last", "bytes=0-99999999999999999", 11, K::kSatisfiable, {{0, 10}}},
    RangeCase{"first_past_end", "bytes=11-", 11, K::kUnsatisfiable, {}},
    RangeCase{"suffix_zero", "bytes=-0", 11, K::kUnsatisfiable, {}},
    RangeCase{"all_past_end", "bytes=20-30,40-", 11, K::kUnsatisfiable, {}},
    RangeCase{"other_unit", "items=0-1", 11, K::kIgnore, {}},
    RangeCase{"no_equals", "bytes 0-1", 11, K::kIgnore, {}},
    RangeCase{"last_before_first", "bytes=5-2", 11, K::kIgnore, {}},
    RangeCase{"not_digits", "bytes=a-b", 11, K::kIgnore, {}},
    RangeCase{"no_dash", "bytes=5", 11, K::kIgnore, {}},
    RangeCase{"negative", "bytes=--1", 11, K::kIgnore, {}},
    RangeCase{"spaces_inside_spec", "bytes=0 - 1", 11, K::kIgnore, {}},
    RangeCase{"empty_set", "bytes=", 11, K::kIgnore, {}},
    RangeCase{"overflowing_number", "bytes=0-999999999999999999999", 11, K::kIgnore, {}},
    RangeCase{"one_bad_spec_voids_all", "bytes=0-1,x", 11, K::kIgnore, {}},
    RangeCase{"empty_file_is_sent_whole", "bytes=0-", 0, K::kIgnore, {}},
    RangeCase{"sixteen_specs", "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,"
                               "20-20,22-22,24-24,26-26,28-28,30-30", 100, K::kSatisfiable,
              {{0, 0}, {2, 2}, {4, 4}, {6, 6}, {8, 8}, {10, 10}, {12, 12}, {14, 14}, {16, 16},
               {18, 18}, {20, 20}, {22, 22}, {24, 24}, {26, 26}, {28, 28}, {30, 30}}},
    RangeCase{"seventeen_specs_ignored", "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,"
                                         "18-18,20-20,22-22,24-24,26-26,28-28,30-30,32-32",
              100, K::kIgnore, {}}),
    [](const auto& info) { return std::string(info.param.name); });
// clang-format on

}  // namespace
}  // namespace netius::net::http
