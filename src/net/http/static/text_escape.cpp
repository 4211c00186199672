#include "net/http/static/text_escape.hpp"

#include <cstdint>

namespace netius::net::http {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629 §4), 0 if invalid.
std::size_t utf8_length(std::string_view s) {
    const auto b0 = static_cast<unsigned char>(s[0]);
    if (b0 < 0x80) return 1;
    std::size_t n;
    std::uint32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2, cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3, cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4, cp = b0 & 0x07;
    } else {
        return 0;  // continuation byte, overlong lead (C0, C1) or beyond U+10FFFF
    }
    if (s.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// Calls escape(c) for each ASCII byte, appends valid multi-byte sequences as they are and
// U+FFFD for each invalid byte.
template <typename Escape>
void append_sanitized(std::string& out, std::string_view text, Escape escape) {
    while (!text.empty()) {
        const std::size_t n = utf8_length(text);
        if (n == 0) {
            out.append(kReplacement);
            text.remove_prefix(1);
        } else if (n == 1) {
            escape(text[0]);
            text.remove_prefix(1);
        } else {
            out.append(text.substr(0, n));
            text.remove_prefix(n);
        }
    }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
    append_sanitized(out, text, [&out](char c) {
        switch (c) {
            case '&':
                out.append("&amp;");
                break;
            case '<':
                out.append("&lt;");
                break;
            case '>':
                out.append("&gt;");
                break;
            case '"':
                out.append("&quot;");
                break;
            case '\'':
                out.append("&#39;");
                break;
            default:
                out.push_back(c);
        }
    });
}

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    append_sanitized(out, text, [&out](char c) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20 || c == '<' || c == '>' || c == '&' || u == 0x7F) {
            out.append("\\u00");
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        } else {
            out.push_back(c);
        }
    });
    out.push_back('"');
}

}  // namespace netius::net::http
