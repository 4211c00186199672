// libFuzzer target for the PROXY protocol header parser (v1 text and v2 binary).
//
// The input is parsed at every prefix length (each from its own heap buffer), up to 2 KiB.
// Invariants: the results form Incomplete* followed by either Error forever or the same
// Complete forever (the header says "an error as soon as it cannot be one", and nothing past
// a complete header changes it); the first Complete consumes exactly the bytes it was given;
// a header is never longer than the protocol's bound; no exception escapes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "net/proxy_protocol.hpp"

using namespace netius::net;
using netius::fuzz::check;
using netius::fuzz::copy_of;

namespace {

std::string summary(const ProxyResult& r) {
    if (std::holds_alternative<ProxyIncomplete>(r)) return "I";
    if (auto* e = std::get_if<ProxyError>(&r)) {
        check(!e->reason.empty(), "error without a reason");
        return "E";
    }
    const auto& h = std::get<ProxyHeader>(r);
    return "C" + std::to_string(h.consumed) + (h.source ? h.source->to_string() : "-");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data),
                                 std::min<std::size_t>(size, 2048));
    std::string settled;  // the first non-Incomplete summary
    for (std::size_t n = 0; n <= input.size(); ++n) {
        auto buf = copy_of(input.substr(0, n));
        const ProxyResult r = parse_proxy_header(std::string_view(buf.get(), n));
        const std::string s = summary(r);
        if (settled.empty()) {
            if (s == "I") continue;
            settled = s;
            if (auto* h = std::get_if<ProxyHeader>(&r)) {
                check(h->consumed == n, "first complete header did not consume its input");
                check(h->consumed <= std::max(kMaxProxyV1Bytes, kMaxProxyV2Bytes),
                      "header longer than the protocol allows");
            }
        } else {
            check(s == settled, "a longer input changed a settled result");
        }
    }
    return 0;
}
