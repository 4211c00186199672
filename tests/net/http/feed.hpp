#pragma once
// Shared by the parser tests (HTTP heads, SMTP replies): every case is fed whole, split in two
// at every offset, and byte by byte (picohttpparser's discipline), each time from a buffer at a
// fresh address whose previous contents are poisoned, so a parser that kept pointers into an
// earlier buffer reads garbage instead of passing by luck.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "net/http/limits.hpp"
#include "net/http/parse_result.hpp"

namespace netius::net::http::testing {

enum class Feed { kWhole, kEverySplit, kByteByByte };
inline constexpr Feed kEveryFeed[] = {Feed::kWhole, Feed::kEverySplit, Feed::kByteByByte};

inline const char* to_string(Feed f) {
    switch (f) {
        case Feed::kWhole:
            return "whole";
        case Feed::kEverySplit:
            return "split at every offset";
        case Feed::kByteByByte:
            return "byte by byte";
    }
    return "?";
}

class MovingBuffer {
  public:
    /// A copy of `bytes` at a new address; the previous copy is poisoned (and kept alive one
    /// more round so the allocator cannot hand its address back at once).
    std::string_view hold(std::string_view bytes) {
        auto next = std::make_unique<std::string>(bytes);
        if (current_) std::fill(current_->begin(), current_->end(), '\xff');
        previous_ = std::move(current_);
        current_ = std::move(next);
        return *current_;
    }

  private:
    std::unique_ptr<std::string> previous_, current_;
};

/// Whether `part` lies within `whole` (views must point into the caller's buffer).
inline bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    auto b = reinterpret_cast<std::uintptr_t>(whole.data());
    auto p = reinterpret_cast<std::uintptr_t>(part.data());
    return p >= b && p + part.size() <= b + whole.size();
}

/// The outcome shared by every split of an input of `size` bytes: `at(k)` for each k in
/// [1, size), or "split at <k>: <outcome>" for the first k whose outcome differs from k = 1's;
/// `whole()` when the input is too short to split.
template <class AtSplit, class Whole>
std::string same_at_every_split(std::size_t size, AtSplit at, Whole whole) {
    if (size < 2) return whole();
    const std::string common = at(std::size_t{1});
    for (std::size_t k = 2; k < size; ++k) {
        std::string got = at(k);
        if (got != common) return fmt::format("split at {}: {}", k, got);
    }
    return common;
}

/// Whether a parse result asks for more bytes; other parser families (SMTP replies) provide
/// an overload for their result type, found by argument-dependent lookup.
inline bool is_incomplete(const ParseResult& r) {
    return std::holds_alternative<Incomplete>(r);
}

/// Feeds `in` to fresh head parsers of type `Parser` (`Parser(limits)`, `parse(view, Head&)`
/// returning a result that is_incomplete() understands) the way `feed` says, and returns
/// `outcome(result, head, view, in.size())` for the last call. A split feeds the first k bytes,
/// then all of them if the parser asked for more; byte by byte feeds growing prefixes until it
/// stops asking ("incomplete" for an empty input). Every call sees a MovingBuffer copy.
template <class Parser, class Head, class ParserLimits, class Outcome>
std::string feed_head(const ParserLimits& limits, std::string_view in, Feed feed, Outcome outcome) {
    MovingBuffer buf;
    Head head;
    switch (feed) {
        case Feed::kWhole: {
            Parser p(limits);
            std::string_view v = buf.hold(in);
            return outcome(p.parse(v, head), head, v, in.size());
        }
        case Feed::kEverySplit:
            return same_at_every_split(
                in.size(),
                [&](std::size_t k) {
                    Parser p(limits);
                    std::string_view v = buf.hold(in.substr(0, k));
                    auto r = p.parse(v, head);
                    if (is_incomplete(r)) {
                        v = buf.hold(in);
                        r = p.parse(v, head);
                    }
                    return outcome(r, head, v, in.size());
                },
                [&] { return feed_head<Parser, Head>(limits, in, Feed::kWhole, outcome); });
        case Feed::kByteByByte: {
            Parser p(limits);
            std::string got = "incomplete";
            for (std::size_t n = 1; n <= in.size(); ++n) {
                std::string_view v = buf.hold(in.substr(0, n));
                auto r = p.parse(v, head);
                got = outcome(r, head, v, in.size());
                if (!is_incomplete(r)) break;
            }
            return got;
        }
    }
    return "?";
}

/// Names a parameterised case by its `name` member (for INSTANTIATE_TEST_SUITE_P).
template <class Case>
std::string case_name(const ::testing::TestParamInfo<Case>& i) {
    return i.param.name;
}

}  // namespace netius::net::http::testing
