#pragma once
// The field lines of an HTTP head (RFC 9112 §5), scanned incrementally: shared by the request
// and response parsers (internal to src/net/http/h1). Pure; no I/O, no allocation after the first
// head on a connection.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "net/http/char_class.hpp"

namespace netius::net::http::detail {

/// The fields seen so far, as offsets from the start of the input (the buffer may move between
/// calls), and where the scan of the current line stopped. Not thread-safe; one per parser.
class FieldLines {
  public:
    struct Span {
        std::uint32_t name, name_len, value, value_len;
    };
    enum class Scan : std::uint8_t {
        kMore,     // the input ran out inside the line: call scan() again with more
        kLineEnd,  // stopped at the line's CR or LF (not consumed); the field is recorded
        kError,    // the line is invalid; `error` says why
    };

    /// Starts a line whose name begins at offset `at` (a tchar the caller checked, with fewer
    /// than `max_count` fields so far; the first line of a connection reserves room).
    void begin(std::uint32_t at, std::size_t max_count) {
        if (fields_.capacity() == 0)  // once per connection, not per head
            fields_.reserve(std::min<std::size_t>(16, max_count));
        mark_ = at;
        state_ = State::kName;
    }

    /// Scans `p[i, limit)` on through the current line: field-name ":" OWS field-value OWS
    /// (RFC 9112 §5.1, RFC 9110 §5.5; obs-text kept, OWS trimmed). `p` holds the head from its
    /// first byte, as in every earlier call (the trim looks back). Advances `i`. kError's
    /// reasons: "whitespace before colon", "invalid field name", "invalid character in field
    /// value". A bare LF ends the line like CR does; the caller decides whether it may.
    Scan scan(const char* p, std::size_t& i, std::size_t limit, std::string_view& error) {
        switch (state_) {
            case State::kName:
                while (i < limit && has_class(p[i], kToken)) ++i;
                if (i == limit) return Scan::kMore;
                if (p[i] != ':') {  // §5.1: no whitespace between name and colon
                    error = p[i] == ' ' || p[i] == '\t' ? "whitespace before colon"
                                                        : "invalid field name";
                    return Scan::kError;
                }
                fields_.push_back(Span{mark_, offset(i) - mark_, 0, 0});
                state_ = State::kOws;
                ++i;
                [[fallthrough]];
            case State::kOws:
                while (i < limit && (p[i] == ' ' || p[i] == '\t')) ++i;
                if (i == limit) return Scan::kMore;
                fields_.back().value = offset(i);
                state_ = State::kValue;
                [[fallthrough]];
            case State::kValue: {
                while (i < limit && has_class(p[i], kFieldChar)) ++i;
                if (i == limit) return Scan::kMore;
                if (p[i] != '\r' && p[i] != '\n') {
                    error = "invalid character in field value";
                    return Scan::kError;
                }
                Span& field = fields_.back();
                std::size_t end = i;  // trailing OWS off (the value starts with a non-OWS)
                while (end > field.value && (p[end - 1] == ' ' || p[end - 1] == '\t')) --end;
                field.value_len = offset(end) - field.value;
                return Scan::kLineEnd;
            }
        }
        return Scan::kMore;
    }

    const std::vector<Span>& spans() const noexcept { return fields_; }
    std::size_t size() const noexcept { return fields_.size(); }
    bool empty() const noexcept { return fields_.empty(); }
    /// Forgets the fields (keeps capacity) for the next head.
    void clear() noexcept {
        fields_.clear();
        mark_ = 0;
        state_ = State::kName;
    }

  private:
    enum class State : std::uint8_t { kName, kOws, kValue };

    static std::uint32_t offset(std::size_t n) noexcept { return static_cast<std::uint32_t>(n); }

    std::vector<Span> fields_;
    std::uint32_t mark_ = 0;
    State state_ = State::kName;
};

}  // namespace netius::net::http::detail
