// libFuzzer target for the HTTP/2 code that is ours (libnghttp2 does the framing and HPACK):
// Http2Stream's mapping of a stream's header fields onto RequestHead, its limits, and the
// cleartext preface matcher.
//
// Input: byte 0 bits pick end_stream and small limits; then fields, each a 1-byte name length,
// the name, a 2-byte (big-endian) value length and the value, until the input ends.
// Invariants: a stream under its limits either rejects the head or maps it so that the target
// re-parses the same way, the method and target are the pseudo-fields given, the version is
// HTTP/2, a Host field is present exactly when :authority or host was, and every view lies in
// the stream's own storage or static text; an over-limit stream is answered 431 or 414, and
// the connection is ended (add_field false) only past twice the limits; the preface matcher
// agrees with a plain prefix comparison; a name with an uppercase letter is never accepted
// (RFC 9113 §8.2.1).
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/http/h2/http2_stream.hpp"
#include "net/http/h2/preface.hpp"
#include "net/http/request_target.hpp"

using namespace netius::net::http;
using netius::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    {
        const PrefaceMatch m = match_http2_preface(in);
        const std::size_t n = std::min(in.size(), kHttp2Preface.size());
        const bool same = in.substr(0, n) == kHttp2Preface.substr(0, n);
        check(m == (!same                       ? PrefaceMatch::kNo
                    : n == kHttp2Preface.size() ? PrefaceMatch::kWhole
                                                : PrefaceMatch::kPartial),
              "preface match");
    }
    if (size == 0) return 0;
    const bool end_stream = data[0] & 1;
    Limits limits;
    std::size_t max_list = 16 * 1024;
    if (data[0] & 2) {
        limits.max_target_bytes = 16;
        limits.max_header_count = 4;
        max_list = 200;
    }
    Http2Stream s(1);
    std::string method, path, authority;
    bool host_given = false, upper = false;
    std::size_t pos = 1, list = 0, count = 0;
    while (pos < size) {
        const std::size_t nlen = data[pos++];
        if (pos + nlen + 2 > size) break;
        const std::string_view name = in.substr(pos, nlen);
        pos += nlen;
        const std::size_t vlen = (std::size_t{data[pos]} << 8) | data[pos + 1];
        pos += 2;
        const std::string_view value = in.substr(pos, std::min(vlen, size - pos));
        pos += value.size();
        if (name == ":method" && method.empty()) method = value;
        if (name == ":path" && path.empty()) path = value;
        if (name == ":authority" && authority.empty()) authority = value;
        if (name == "host") host_given = true;
        for (char c : name) upper |= c >= 'A' && c <= 'Z';
        list += name.size() + value.size() + 32;
        ++count;
        // false: far past the bounds (an HPACK bomb); the session ends the connection there.
        if (!s.add_field(name, value, max_list, limits)) {
            check(list > 2 * max_list || count > 2 * (limits.max_header_count + 4),
                  "connection ended under twice the bounds");
            return 0;
        }
    }
    if (s.rejection()) {
        check(*s.rejection() == Status::kRequestHeaderFieldsTooLarge ||
                  *s.rejection() == Status::kUriTooLong,
              "rejection status");
        return 0;
    }
    if (!s.finish_head(end_stream)) return 0;
    check(!upper, "uppercase name accepted");
    const RequestHead& h = s.head();
    check(h.version == Version::kHttp2, "version");
    check(h.method == method, "method");
    check(h.target == (method == "CONNECT" ? authority : path), "target");
    RequestHead again;
    check(parse_request_target(h.method, h.target, again), "target re-parses");
    check(again.path == h.path && again.query == h.query && again.form == h.form, "same parts");
    check(h.get("host").has_value() == (!h.host.empty()), "host field");
    if (!authority.empty()) check(h.host == authority, ":authority wins");
    if (!host_given && authority.empty()) check(h.host.empty(), "no host");
    check(!h.expect_continue && h.keep_alive, "h2 flags");
    check(h.chunked == (!end_stream && !h.content_length), "unknown length");
    return 0;
}
