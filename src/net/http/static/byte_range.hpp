#pragma once
// Range requests (RFC 9110 §14): the `Range: bytes=...` field resolved against a
// representation's length. Pure, no allocation beyond the output vector, any thread.
#include <cstdint>
#include <string_view>
#include <vector>

namespace netius::net::http {

/// Bytes first..last of a representation, both inclusive (§14.1.1), last < its length.
struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;

    std::uint64_t length() const { return last - first + 1; }
    bool operator==(const ByteRange&) const = default;
};

enum class RangeOutcome : std::uint8_t {
    kIgnore,         // serve the whole representation (200): no usable Range, see below
    kSatisfiable,    // serve `ranges` (206): one part, or multipart/byteranges
    kUnsatisfiable,  // 416 with "Content-Range: bytes */LENGTH" (§15.5.17)
};

/// At most this many range-specs are considered; a request with more is served whole
/// (§14.2 lets a server ignore Range; nginx's max_ranges does the same).
inline constexpr std::size_t kMaxRanges = 16;

/// Resolves the value of a Range field for a representation of `length` bytes into `out`
/// (cleared first). Suffix ranges ("-N": the last N bytes) and open ones ("N-") are clamped
/// to the length (§14.1.2); specs that are not satisfiable (first >= length, "-0") are
/// dropped; the rest are sorted and overlapping or adjacent ones coalesced (§14.6 allows
/// it), so parts never repeat bytes. Returns kIgnore for a unit other than "bytes" (§14.2),
/// invalid syntax, more than kMaxRanges specs, or an empty representation (nothing to
/// address: whole it is); kUnsatisfiable when no spec is satisfiable; else kSatisfiable.
RangeOutcome resolve_ranges(std::string_view value, std::uint64_t length,
                            std::vector<ByteRange>& out);

}  // namespace netius::net::http
