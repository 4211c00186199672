#pragma once
// Character classes of RFC 9110/9112 and RFC 3986 as one 256-entry table, shared by the HTTP
// parsers (internal to src/net/http). constexpr, so lookups cost one load.
#include <array>
#include <cstdint>
#include <string_view>
#include "util/ascii.hpp"

namespace netius::net::http::detail {

enum CharClass : std::uint8_t {
    kToken = 1 << 0,       // tchar (RFC 9110 §5.6.2)
    kFieldChar = 1 << 1,   // field-vchar, SP, HTAB (RFC 9110 §5.5; obs-text included)
    kTargetChar = 1 << 2,  // RFC 3986 characters a request-target may hold
    kHostChar = 1 << 3,    // uri-host [":" port] (RFC 3986 §3.2.2), for Host
    kHexDigit = 1 << 4,
    kRegName = 1 << 5,   // a reg-name or IPv4 host: kHostChar without ":[]" (RFC 3986 §3.2.2)
    kPathChar = 1 << 6,  // path-abempty: kTargetChar without "[]?" (§3.3; a query adds "?")
};

inline constexpr std::array<std::uint8_t, 256> kCharClasses = [] {
    std::array<std::uint8_t, 256> t{};
    auto add = [&t](std::string_view chars, std::uint8_t cls) {
        for (char c : chars) t[static_cast<unsigned char>(c)] |= cls;
    };
    constexpr std::string_view alnum =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    constexpr std::string_view unreserved_extra = "-._~";
    constexpr std::string_view sub_delims = "!$&'()*+,;=";
    add(alnum, kToken | kTargetChar | kHostChar);
    add("!#$%&'*+-.^_`|~", kToken);
    add(unreserved_extra, kTargetChar | kHostChar);
    add(sub_delims, kTargetChar | kHostChar);
    add(":@/?%[]", kTargetChar);
    add(":[]%", kHostChar);
    add(alnum, kRegName | kPathChar);
    add(unreserved_extra, kRegName | kPathChar);
    add(sub_delims, kRegName | kPathChar);
    add("%", kRegName);
    add(":@/%", kPathChar);
    add("0123456789abcdefABCDEF", kHexDigit);
    for (int c = 0x21; c <= 0x7e; ++c) t[c] |= kFieldChar;
    for (int c = 0x80; c <= 0xff; ++c) t[c] |= kFieldChar;
    t[' '] |= kFieldChar;
    t['\t'] |= kFieldChar;
    return t;
}();

inline bool has_class(char c, CharClass cls) noexcept {
    return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

// Field names, codings and tokens are case-insensitive (util/ascii.hpp).
using netius::ascii_lower;
using netius::iequals;

inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    c = ascii_lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// `s` without leading and trailing SP/HTAB (OWS, RFC 9110 §5.6.3).
inline std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace netius::net::http::detail
