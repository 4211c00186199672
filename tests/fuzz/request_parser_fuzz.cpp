// libFuzzer target for the pure HTTP/1.1 request parser and chunked decoder. Built only with
// -DNETIUS_FUZZ=ON and clang (tests/fuzz/CMakeLists.txt). Any invariant broken → abort().
//
// Input: byte 0 chooses the limits (bit 0: tiny ones, so limit paths are reached) and, with
// byte 1, the split offset; the rest is fed to the parser whole, split in two at that offset
// (from separate buffers), and byte by byte. Invariants: consumed <= input size; every view
// lies inside the input given; all three feedings agree exactly; after a Complete head the
// rest goes through the chunked decoder whole and split, which must agree too.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "net/http/chunked_decoder.hpp"
#include "net/http/request_parser.hpp"

using namespace netius::net::http;

namespace {

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    auto b = reinterpret_cast<std::uintptr_t>(whole.data());
    auto p = reinterpret_cast<std::uintptr_t>(part.data());
    return p >= b && p + part.size() <= b + whole.size();
}

// A heap copy, so ASan catches any read past the bytes handed to the parser.
std::unique_ptr<char[]> copy_of(std::string_view s) {
    auto p = std::make_unique<char[]>(s.size() + 1);
    std::memcpy(p.get(), s.data(), s.size());
    return p;
}

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

std::string decode_body(std::string_view body, const Limits& limits, std::size_t split) {
    ChunkedDecoder d(limits);
    std::string out;
    std::size_t total = 0;
    std::string_view parts[2] = {body.substr(0, split), body.substr(split)};
    for (std::string_view part : parts) {
        auto buf = copy_of(part);
        std::string_view in(buf.get(), part.size());
        while (!in.empty()) {
            ChunkedStep s = d.decode(in);
            check(s.consumed <= in.size(), "decoder consumed past the input");
            check(inside(s.data, in), "decoded data outside the input");
            out.append(s.data);
            total += s.consumed;
            in.remove_prefix(s.consumed);
            if (s.error)
                return out + "|E" + std::to_string(code(s.error->status)) + "@" +
                       std::to_string(total);
            if (s.done) return out + "|D" + std::to_string(total);
            check(!s.data.empty() || in.empty(), "decoder stopped without a reason");
        }
    }
    check(d.decoded() <= limits.max_body_bytes, "body over the limit");
    return out + "|M";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    Limits tiny;
    tiny.max_head_bytes = 96;
    tiny.max_header_count = 4;
    tiny.max_target_bytes = 24;
    tiny.max_body_bytes = 64;
    tiny.max_chunk_extension_bytes = 8;
    tiny.max_trailer_bytes = 16;
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

    // Split in two, the second call from another buffer.
    {
        RequestParser p(limits);
        RequestHead h;
        auto first = copy_of(input.substr(0, split));
        std::string_view in(first.get(), split);
        ParseResult r = p.parse(in, h);
        if (std::holds_alternative<Incomplete>(r)) {
            first.reset();
            auto second = copy_of(input);
            in = std::string_view(second.get(), input.size());
            r = p.parse(in, h);
            check(summary(r, h, in) == want, "split feeding disagrees");
        } else {
            check(summary(r, h, in) == want, "split feeding disagrees (first part)");
        }
    }

    // Byte by byte (linear: the parser resumes where it stopped).
    if (input.size() <= 4096) {
        RequestParser p(limits);
        RequestHead h;
        std::string got = "I";
        for (std::size_t n = 1; n <= input.size(); ++n) {
            auto buf = copy_of(input.substr(0, n));
            std::string_view in(buf.get(), n);
            ParseResult r = p.parse(in, h);
            got = summary(r, h, in);
            if (!std::holds_alternative<Incomplete>(r)) break;
        }
        check(got == want, "byte-by-byte feeding disagrees");
    }

    // Whatever follows a complete head, as a chunked body: whole and split must agree.
    std::string_view rest = input;
    if (auto* c = std::get_if<Complete>(&whole_result)) rest = input.substr(c->consumed);
    const std::size_t body_split = rest.empty() ? 0 : split % rest.size();
    check(decode_body(rest, limits, rest.size()) == decode_body(rest, limits, body_split),
          "chunked decoder feedings disagree");
    return 0;
}
