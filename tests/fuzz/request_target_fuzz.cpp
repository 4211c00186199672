// libFuzzer target for request-target parsing (RFC 9112 §3.2) and authority syntax (RFC 3986
// §3.2): parse_request_target and valid_authority.
//
// Input: byte 0 picks the method (GET, CONNECT, OPTIONS, POST, HEAD); the rest is the target.
// Invariants: every view lies inside the target (path may be the static "/" or "*"); an
// accepted target rebuilds from its parts (origin: path [? query]; absolute: scheme "://"
// authority path [? query]); CONNECT accepts exactly valid_authority(target, true); a valid
// authority with a required port is valid without the requirement; parsing a copy agrees.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/http/request_target.hpp"

using namespace netius::net::http;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

constexpr std::array<std::string_view, 5> kMethods = {"GET", "CONNECT", "OPTIONS", "POST", "HEAD"};

// What was parsed, as owned text.
std::string summary(bool ok, const RequestHead& h) {
    std::string s = ok ? "ok" : "no";
    s += std::to_string(static_cast<int>(h.form));
    for (std::string_view v : {h.scheme, h.authority, h.path, h.query}) s.append(v).push_back('|');
    return s;
}

// Whether the accepted parts spell the target: [scheme "://" authority] path ["?" query],
// where an absolute-form target without a path has path "/".
bool rebuilds(const RequestHead& h, std::string_view target) {
    switch (h.form) {
        case TargetForm::kAuthority:
            return target == h.authority;
        case TargetForm::kAsterisk:
            return target == "*" && h.path == "*";
        case TargetForm::kOrigin:
        case TargetForm::kAbsolute:
            break;
    }
    std::string_view rest = target;
    if (h.form == TargetForm::kAbsolute) {
        const std::string prefix = std::string(h.scheme) + "://" + std::string(h.authority);
        if (!rest.starts_with(prefix)) return false;
        rest.remove_prefix(prefix.size());
    }
    const std::size_t q = rest.find('?');
    const std::string_view path = rest.substr(0, q);
    const std::string_view query = q == std::string_view::npos ? "" : rest.substr(q + 1);
    return (path.empty() ? std::string_view("/") : path) == h.path && query == h.query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::string_view method = kMethods[data[0] % kMethods.size()];
    auto buf = copy_of(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    const std::string_view target(buf.get(), size - 1);

    RequestHead head;
    const bool ok = parse_request_target(method, target, head);
    if (ok) {
        for (std::string_view v : {head.scheme, head.authority, head.query})
            check(inside(v, target), "view outside the target");
        check(head.path == "/" || head.path == "*" || inside(head.path, target),
              "path outside the target");
        check(rebuilds(head, target), "accepted target does not rebuild from its parts");
        if (head.form == TargetForm::kAbsolute)
            check(valid_authority(head.authority, false), "absolute-form authority invalid");
        if (head.form == TargetForm::kAsterisk) check(method == "OPTIONS", "* for a non-OPTIONS");
    }
    if (method == "CONNECT")
        check(ok == valid_authority(target, true), "CONNECT disagrees with valid_authority");
    const bool with_port = valid_authority(target, true);
    const bool without = valid_authority(target, false);
    check(!with_port || without, "a port-required authority is invalid without the requirement");

    auto again_buf = copy_of(target);
    RequestHead again;
    const bool ok_again =
        parse_request_target(method, std::string_view(again_buf.get(), target.size()), again);
    check(summary(ok, head) == summary(ok_again, again), "parsing a copy disagrees");
    return 0;
}
