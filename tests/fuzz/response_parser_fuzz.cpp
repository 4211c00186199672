// libFuzzer target for the client's HTTP/1.1 response-head parser (RFC 9112 §4-§6) and the
// body framing it implies (body_framing), then the chunked decoder on what follows.
//
// Input: byte 0 picks the limits (bit 0: tiny ones) and whether the request was HEAD (bit 1),
// and with byte 1 a split offset; the rest is the response. It is parsed whole, split in two
// (each part from its own heap buffer), and byte by byte. Invariants: consumed <= input; every
// view lies inside the input; the three feedings agree exactly; 1xx/204/304 and HEAD never
// have content; chunked and Content-Length never both frame the content; after a complete
// head the rest, as a chunked body, decodes the same whole and split.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/http/h1/response_parser.hpp"

using namespace netius::net::http;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

std::string summary(const ParseResult& r, const ClientResponseHead& h, std::string_view in,
                    bool head_request) {
    check(r.index() != std::variant_npos, "valueless result");
    if (auto* e = std::get_if<ParseError>(&r)) {
        check(!e->reason.empty(), "error without a reason");
        return "E" + std::to_string(code(e->status)) + std::string(e->reason);
    }
    if (std::holds_alternative<Incomplete>(r)) return "I";
    const std::size_t consumed = std::get<Complete>(r).consumed;
    check(consumed <= in.size(), "consumed past the input");
    check(h.status >= 100 && h.status <= 999, "status out of range");
    check(inside(h.reason, in), "reason outside the input");
    std::string s = "C" + std::to_string(consumed) + " " + std::to_string(h.status) + " ";
    s.append(h.reason).push_back('\n');
    for (const Header& f : h.headers) {
        check(inside(f.name, in) && inside(f.value, in), "field outside the input");
        check(!f.name.empty(), "empty field name");
        s.append(f.name).push_back(':');
        s.append(f.value).push_back('\n');
    }
    const BodyFraming framing = body_framing(h, head_request);
    if (head_request || h.status < 200 || h.status == 204 || h.status == 304)
        check(framing == BodyFraming::kNone, "content where there is none");
    if (framing == BodyFraming::kChunked) check(h.chunked, "chunked framing without chunked");
    if (framing == BodyFraming::kLength)
        check(h.content_length && !h.transfer_encoding,
              "length framing without a sole Content-Length");
    s += std::to_string(h.content_length.value_or(~0ull)) + (h.chunked ? "c" : "") +
         (h.transfer_encoding ? "t" : "") + (h.keep_alive ? "k" : "") +
         (h.version == Version::kHttp10 ? "0" : "1") + std::to_string(static_cast<int>(framing));
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const Limits tiny = netius::fuzz::tiny_limits();
    const Limits normal;
    const Limits& limits = (data[0] & 1) ? tiny : normal;
    const bool head_request = (data[0] & 2) != 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = input.empty() ? 0 : ((data[0] >> 2) * 256u + data[1]) % input.size();

    auto whole_buf = copy_of(input);
    const std::string_view whole(whole_buf.get(), input.size());
    ResponseParser parser(limits);
    ClientResponseHead head;
    const ParseResult whole_result = parser.parse(whole, head);
    const std::string want = summary(whole_result, head, whole, head_request);

    netius::fuzz::check_feedings<ClientResponseHead>(
        input, split, want, [&] { return ResponseParser(limits); },
        [&](const ParseResult& r, const ClientResponseHead& h, std::string_view in) {
            return summary(r, h, in, head_request);
        });

    // A reused parser (keep-alive) parses the same bytes the same way.
    parser.reset();
    ClientResponseHead again;
    check(summary(parser.parse(whole, again), again, whole, head_request) == want,
          "reset parser disagrees");

    if (auto* c = std::get_if<Complete>(&whole_result)) {
        const std::string_view rest = input.substr(c->consumed);
        const std::size_t cut[] = {rest.empty() ? 0 : split % rest.size()};
        check(netius::fuzz::decode_chunked(rest, limits, {}) ==
                  netius::fuzz::decode_chunked(rest, limits, cut),
              "chunked decoder feedings disagree");
    }
    return 0;
}
