// libFuzzer target for the chunked transfer coding decoder (RFC 9112 §7.1) on its own, so the
// fuzzer reaches its states without first building a valid request head.
//
// Input: byte 0 picks the limits (bit 0: tiny ones) and, with byte 1, a split offset; the rest
// is one chunked body. It is decoded whole, split in two, and byte by byte: the content and the
// outcome (done after N bytes / error status at N / needs more) must agree exactly, every
// view must lie inside the piece given, and the content never exceeds max_body_bytes.
#include <cstdint>
#include <numeric>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"

using netius::fuzz::check;
using netius::fuzz::decode_chunked;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const netius::net::http::Limits tiny = netius::fuzz::tiny_limits();
    const netius::net::http::Limits normal;
    const auto& limits = (data[0] & 1) ? tiny : normal;
    const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = body.empty() ? 0 : ((data[0] >> 1) * 256u + data[1]) % body.size();

    const std::string whole = decode_chunked(body, limits, {});
    const std::size_t cut[] = {split};
    check(decode_chunked(body, limits, cut) == whole, "split feeding disagrees");
    if (body.size() <= 4096) {
        std::vector<std::size_t> every(body.empty() ? 0 : body.size() - 1);
        std::iota(every.begin(), every.end(), std::size_t{1});
        check(decode_chunked(body, limits, every) == whole, "byte-by-byte feeding disagrees");
    }
    return 0;
}
