// libFuzzer target for the DATA decoder (RFC 5321 §4.1.1.4, §4.5.2): the end-of-data
// indication, dot-unstuffing and the size limit, the part of SMTP that smuggling attacks
// (CVE-2023-51764) aim at.
//
// Input: byte 0 picks the size limit (0..255 bytes, or none when 255) and, with byte 1, a split
// offset; the rest is what the client sends after 354. Fed whole, split in two and byte by
// byte, the content, the bytes consumed, whether the end was seen, size() and overflow() must
// agree; the stored content never exceeds the limit; an end is only ever "<CRLF>.<CRLF>" (or
// ".<CRLF>" as the very first line), and the bytes after it are left unread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "net/smtp/data_decoder.hpp"

using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::net::smtp::DataDecoder;

namespace {

std::string decode(std::string_view input, std::uint64_t max,
                   const std::vector<std::size_t>& cuts) {
    DataDecoder d(max);
    std::string content;
    std::size_t total = 0, start = 0;
    bool done = false;
    for (std::size_t i = 0; i <= cuts.size() && !done; ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : input.size();
        auto piece = copy_of(input.substr(start, end - start));
        const std::string_view in(piece.get(), end - start);
        start = end;
        const DataDecoder::Step s = d.decode(in, content);
        check(s.consumed <= in.size(), "consumed past the input");
        check(s.done || s.consumed == in.size(), "stopped early without an end");
        total += s.consumed;
        done = s.done;
    }
    check(content.size() <= max, "content over the limit");
    check(d.overflow() == (d.size() > max), "overflow() disagrees with size()");
    if (done) {
        const std::string_view seen = input.substr(0, total);
        check(seen == ".\r\n" || seen.ends_with("\r\n.\r\n"), "an end that is not CRLF.CRLF");
    }
    return content + "|" + std::to_string(total) + (done ? "D" : "M") + std::to_string(d.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint64_t max = data[0] == 255 ? UINT64_MAX : data[0];
    const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = input.empty() ? 0 : (data[0] * 256u + data[1]) % input.size();
    const std::string whole = decode(input, max, {});
    check(decode(input, max, {split}) == whole, "split feeding disagrees");
    if (input.size() <= 4096) {
        std::vector<std::size_t> every;
        for (std::size_t i = 1; i < input.size(); ++i) every.push_back(i);
        check(decode(input, max, every) == whole, "byte-by-byte feeding disagrees");
    }
    return 0;
}
