#pragma once
// Recognising an HTTP/2 client on a cleartext port (RFC 9113 §3.3, "prior knowledge"): the
// connection starts with the 24-byte preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", which no
// HTTP/1.1 request can begin with. Pure function, any thread.
#include <cstdint>
#include <string_view>

namespace netius::net::http {

inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum class PrefaceMatch : std::uint8_t {
    kNo,       // not the preface: HTTP/1.1
    kPartial,  // a proper prefix of it so far (or nothing yet): wait for more bytes
    kWhole,    // starts with the whole preface: HTTP/2
};

/// How the first bytes of a connection compare with the preface.
constexpr PrefaceMatch match_http2_preface(std::string_view data) {
    const std::size_t n = data.size() < kHttp2Preface.size() ? data.size() : kHttp2Preface.size();
    if (data.substr(0, n) != kHttp2Preface.substr(0, n)) return PrefaceMatch::kNo;
    return n == kHttp2Preface.size() ? PrefaceMatch::kWhole : PrefaceMatch::kPartial;
}

}  // namespace netius::net::http
