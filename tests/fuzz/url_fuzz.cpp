// libFuzzer target for http(s) URL parsing and reference resolution (RFC 3986 §3, §5.2) as
// the HTTP client uses them for command-line URLs and Location values.
//
// Input: up to the first NUL is a base URL, the rest a reference (no NUL: the whole input is
// both). Invariants: an accepted URL is normalised — scheme http/https, a host, a port, an
// origin-form target starting with '/' and free of bytes a request-target may not hold — and
// parsing its own spelling (to_string) gives it back (normalisation is idempotent); the same
// holds for what a reference resolves to; remove_dot_segments is idempotent and leaves no
// "." or ".." segment.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/http/client/url.hpp"

using namespace netius::net::http;
using netius::fuzz::check;

namespace {

bool target_char(unsigned char c) {
    // RFC 3986 pchar / "/" / "?" plus '%' of an escape; never space, controls, non-ASCII.
    return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
           c != '`' && c != '{' && c != '|' && c != '}' && c != '#';
}

std::string fields(const Url& u) {
    return u.scheme + "|" + u.host + "|" + std::to_string(u.port) + "|" + u.target +
           (u.ipv6 ? "|6" : "|4");
}

void check_normal(const Url& u) {
    check(u.scheme == "http" || u.scheme == "https", "scheme not http(s)");
    check(!u.host.empty(), "empty host");
    check(u.port != 0, "no port");
    check(!u.target.empty() && u.target.front() == '/', "target not origin-form");
    for (unsigned char c : u.target) check(target_char(c), "byte not allowed in a target");
    for (unsigned char c : u.host) check(!(c >= 'A' && c <= 'Z'), "host not lower case");
    Url again;
    std::string error;
    check(parse_url(u.to_string(), again, error), "own spelling does not parse");
    check(fields(again) == fields(u), "normalisation is not idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view base_text = input.substr(0, nul);
    const std::string_view reference =
        nul == std::string_view::npos ? input : input.substr(nul + 1);

    Url base;
    std::string error;
    if (parse_url(base_text, base, error)) {
        check_normal(base);
        Url resolved;
        if (resolve_url(base, reference, resolved, error))
            check_normal(resolved);
        else
            check(!error.empty(), "refused reference without a reason");
    } else {
        check(!error.empty(), "refused URL without a reason");
    }

    const std::string path = remove_dot_segments(reference);
    check(remove_dot_segments(path) == path, "remove_dot_segments not idempotent");
    for (std::size_t start = 0; start < path.size();) {
        const std::size_t end = path.find('/', start + 1);
        const std::string_view segment = std::string_view(path).substr(
            start, end == std::string::npos ? path.npos : end - start);
        check(segment != "/." && segment != "/..", "dot segment left");
        if (end == std::string::npos) break;
        start = end;
    }
    return 0;
}
