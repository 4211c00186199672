#include "net/http/static/byte_range.hpp"

#include <algorithm>
#include <optional>

#include "net/http/char_class.hpp"
#include "net/http/request_head.hpp"

namespace netius::net::http {
namespace {

// 1*DIGIT as an unsigned 64-bit number; nullopt when empty, not digits, or overflowing.
std::optional<std::uint64_t> parse_digits(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits always fit in 64 bits
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

enum class Spec { kInvalid, kUnsatisfiable, kOk };

// One range-spec (§14.1.1): int-range "first-[last]" or suffix-range "-length".
Spec parse_spec(std::string_view spec, std::uint64_t length, ByteRange& out) {
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return Spec::kInvalid;
    const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (a.empty()) {  // suffix-range
        auto n = parse_digits(b);
        if (!n) return Spec::kInvalid;
        if (*n == 0) return Spec::kUnsatisfiable;
        out = {length - std::min(*n, length), length - 1};
        return Spec::kOk;
    }
    auto first = parse_digits(a);
    if (!first) return Spec::kInvalid;
    std::uint64_t last = length - 1;
    if (!b.empty()) {
        auto l = parse_digits(b);
        if (!l || *l < *first) return Spec::kInvalid;  // §14.1.1: last-pos < first-pos
        last = std::min(*l, length - 1);
    }
    if (*first >= length) return Spec::kUnsatisfiable;
    out = {*first, last};
    return Spec::kOk;
}

}  // namespace

RangeOutcome resolve_ranges(std::string_view value, std::uint64_t length,
                            std::vector<ByteRange>& out) {
    out.clear();
    value = detail::trim_ows(value);
    // ranges-specifier = range-unit "=" range-set; the unit is case-insensitive (§14.1).
    const std::size_t eq = value.find('=');
    if (eq == std::string_view::npos || !detail::iequals(value.substr(0, eq), "bytes"))
        return RangeOutcome::kIgnore;
    if (length == 0) return RangeOutcome::kIgnore;
    std::string_view set = value.substr(eq + 1);
    std::size_t specs = 0;
    bool invalid = false;
    for_each_list_element(set, [&](std::string_view element) {
        if (invalid) return;
        if (++specs > kMaxRanges) {
            invalid = true;
            return;
        }
        ByteRange r;
        switch (parse_spec(element, length, r)) {
            case Spec::kInvalid:
                invalid = true;
                break;
            case Spec::kUnsatisfiable:
                break;
            case Spec::kOk:
                out.push_back(r);
                break;
        }
    });
    if (invalid || specs == 0) {
        out.clear();
        return RangeOutcome::kIgnore;
    }
    if (out.empty()) return RangeOutcome::kUnsatisfiable;
    std::sort(out.begin(), out.end(),
              [](const ByteRange& x, const ByteRange& y) { return x.first < y.first; });
    std::size_t kept = 0;
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].first <= out[kept].last + 1)
            out[kept].last = std::max(out[kept].last, out[i].last);
        else
            out[++kept] = out[i];
    }
    out.resize(kept + 1);
    return RangeOutcome::kSatisfiable;
}

}  // namespace netius::net::http
