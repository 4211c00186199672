// libFuzzer target for the pure HTTP/1.1 request parser and chunked decoder. Built only with
// -DNETIUS_FUZZ=ON and clang (tests/fuzz/CMakeLists.txt). Any invariant broken → abort().
//
// Input: byte 0 chooses the limits (bit 0: tiny ones, so limit paths are reached) and, with
// byte 1, the split offset; the rest is fed to the parser whole, split in two at that offset
// (from separate buffers), and byte by byte. Invariants: consumed <= input size; every view
// lies inside the input given; all three feedings agree exactly; after a Complete head the
// rest goes through the chunked decoder whole and split, which must agree too.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/http/h1/request_parser.hpp"

using namespace netius::net::http;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

// Everything the parser said, as owned text, for comparing feedings.
std::string summary(const ParseResult& r, const RequestHead& h, std::string_view in) {
    check(r.index() != std::variant_npos, "valueless result");
    if (auto* e = std::get_if<ParseError>(&r)) {
        check(!e->reason.empty(), "error without a reason");
        return "E" + std::to_string(code(e->status)) + std::string(e->reason);
    }
    if (std::holds_alternative<Incomplete>(r)) return "I";
    const std::size_t consumed = std::get<Complete>(r).consumed;
    check(consumed <= in.size(), "consumed past the input");
    check(consumed >= 16, "a head is at least 16 bytes (X / HTTP/1.0 CRLF CRLF)");
    std::string s = "C" + std::to_string(consumed);
    for (std::string_view v : {h.method, h.target, h.scheme, h.authority, h.query, h.host}) {
        check(inside(v, in), "view outside the input");
        s.append(v).push_back('|');
    }
    check(h.path == "/" || h.path == "*" || inside(h.path, in), "path outside the input");
    s.append(h.path);
    for (const Header& f : h.headers) {
        check(inside(f.name, in) && inside(f.value, in), "field outside the input");
        check(!f.name.empty(), "empty field name");
        s.append(f.name).push_back(':');
        s.append(f.value).push_back('\n');
    }
    s += std::to_string(h.content_length.value_or(~0ull)) + (h.chunked ? "c" : "") +
         (h.keep_alive ? "k" : "") + (h.expect_continue ? "e" : "") +
         (h.version == Version::kHttp10 ? "0" : "1");
    check(!(h.chunked && h.content_length), "both framings");
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const Limits tiny = netius::fuzz::tiny_limits();
    const Limits normal;
    const Limits& limits = (data[0] & 1) ? tiny : normal;
    const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = input.empty() ? 0 : ((data[0] >> 1) * 256u + data[1]) % input.size();

    // Whole.
    auto whole_buf = copy_of(input);
    const std::string_view whole(whole_buf.get(), input.size());
    RequestHead head;
    const ParseResult whole_result = parse_request_head(whole, limits, head);
    const std::string want = summary(whole_result, head, whole);

    // Split in two, and byte by byte (linear: the parser resumes where it stopped).
    netius::fuzz::check_feedings<RequestHead>(
        input, split, want, [&] { return RequestParser(limits); },
        [](const ParseResult& r, const RequestHead& h, std::string_view in) {
            return summary(r, h, in);
        });

    // Whatever follows a complete head, as a chunked body: whole and split must agree.
    std::string_view rest = input;
    if (auto* c = std::get_if<Complete>(&whole_result)) rest = input.substr(c->consumed);
    const std::size_t body_split = rest.empty() ? 0 : split % rest.size();
    const std::size_t cut[] = {body_split};
    check(netius::fuzz::decode_chunked(rest, limits, {}) ==
              netius::fuzz::decode_chunked(rest, limits, cut),
          "chunked decoder feedings disagree");
    return 0;
}
