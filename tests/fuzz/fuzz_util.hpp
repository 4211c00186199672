#pragma once
// Shared helpers of the libFuzzer targets (tests/fuzz/*_fuzz.cpp): invariant checks that
// abort, view bounds, heap copies (so ASan sees any read past the bytes handed over), and the
// chunked body decoding that two targets compare across feedings.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "net/http/h1/chunked_decoder.hpp"
#include "net/http/parse_result.hpp"

namespace netius::fuzz {

/// Aborts (a libFuzzer crash, with the input saved) when an invariant does not hold.
inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

/// Whether `part` lies inside `whole` (an empty view is anywhere).
inline bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    auto b = reinterpret_cast<std::uintptr_t>(whole.data());
    auto p = reinterpret_cast<std::uintptr_t>(part.data());
    return p >= b && p + part.size() <= b + whole.size();
}

/// A heap copy of `s`, exactly s.size() bytes long.
inline std::unique_ptr<char[]> copy_of(std::string_view s) {
    auto p = std::make_unique<char[]>(s.size());
    if (!s.empty()) std::memcpy(p.get(), s.data(), s.size());
    return p;
}

/// Limits small enough for the fuzzer to reach every limit path.
inline net::http::Limits tiny_limits() {
    net::http::Limits tiny;
    tiny.max_head_bytes = 96;
    tiny.max_header_count = 4;
    tiny.max_target_bytes = 24;
    tiny.max_body_bytes = 64;
    tiny.max_chunk_extension_bytes = 8;
    tiny.max_trailer_bytes = 16;
    return tiny;
}

/// Feeds `input` to a fresh parser split in two at `split` (the second call from another
/// buffer) and, up to 4 KiB, byte by byte (each prefix from its own buffer), and aborts unless
/// each feeding's `summary(result, head, view)` equals `want`, the whole feeding's summary.
/// `make_parser()` returns a fresh parser with `parse(string_view, Head&)`.
template <typename Head, typename MakeParser, typename Summary>
void check_feedings(std::string_view input, std::size_t split, const std::string& want,
                    MakeParser make_parser, Summary summary) {
    {
        auto p = make_parser();
        Head h;
        auto first = copy_of(input.substr(0, split));
        std::string_view in(first.get(), split);
        net::http::ParseResult r = p.parse(in, h);
        std::unique_ptr<char[]> second;
        if (std::holds_alternative<net::http::Incomplete>(r)) {
            first.reset();
            second = copy_of(input);
            in = std::string_view(second.get(), input.size());
            r = p.parse(in, h);
        }
        check(summary(r, h, in) == want, "split feeding disagrees");
    }
    if (input.size() > 4096) return;
    auto p = make_parser();
    Head h;
    std::string got = "I";
    for (std::size_t n = 1; n <= input.size(); ++n) {
        auto buf = copy_of(input.substr(0, n));
        std::string_view in(buf.get(), n);
        net::http::ParseResult r = p.parse(in, h);
        got = summary(r, h, in);
        if (!std::holds_alternative<net::http::Incomplete>(r)) break;
    }
    check(got == want, "byte-by-byte feeding disagrees");
}

/// Decodes `body` as one chunked body, fed in the pieces that `cuts` (ascending offsets)
/// make, each piece from its own heap buffer. Returns the content and how it ended ("|D<n>"
/// done after n bytes, "|E<status>@<n>" error, "|M" more input needed), for comparing
/// feedings; aborts on a broken decoder invariant.
inline std::string decode_chunked(std::string_view body, const net::http::Limits& limits,
                                  std::span<const std::size_t> cuts) {
    net::http::ChunkedDecoder d(limits);
    std::string out;
    std::size_t total = 0, start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : body.size();
        auto buf = copy_of(body.substr(start, end - start));
        std::string_view in(buf.get(), end - start);
        start = end;
        while (!in.empty()) {
            net::http::ChunkedStep s = d.decode(in);
            check(s.consumed <= in.size(), "decoder consumed past the input");
            check(inside(s.data, in), "decoded data outside the input");
            out.append(s.data);
            total += s.consumed;
            in.remove_prefix(s.consumed);
            if (s.error)
                return out + "|E" + std::to_string(code(s.error->status)) + "@" +
                       std::to_string(total);
            if (s.done) {
                check(d.done(), "done step but decoder not done");
                return out + "|D" + std::to_string(total);
            }
            check(!s.data.empty() || in.empty(), "decoder stopped without a reason");
        }
    }
    check(d.decoded() <= limits.body_limit(), "body over the limit");
    check(d.decoded() == out.size(), "decoded() disagrees with the data returned");
    return out + "|M";
}

}  // namespace netius::fuzz
