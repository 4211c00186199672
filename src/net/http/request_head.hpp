#pragma once
// A parsed HTTP/1.1 request head (RFC 9112 §3, §5, §6). Views point into the buffer the parser
// was given and are valid only while those bytes are; copy what must outlive them. Plain data:
// any thread, no synchronisation.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace netius::net::http {

struct Header {
    std::string_view name;   // as sent (compare case-insensitively)
    std::string_view value;  // without leading/trailing whitespace (RFC 9112 §5.1)
};

/// kHttp2: a request that came as an HTTP/2 stream (net/http/h2), mapped onto this model.
enum class Version : std::uint8_t { kHttp10, kHttp11, kHttp2 };

/// The four request-target forms of RFC 9112 §3.2.
enum class TargetForm : std::uint8_t { kOrigin, kAbsolute, kAuthority, kAsterisk };

struct RequestHead {
    std::string_view method;  // case-sensitive token (RFC 9110 §9.1): "GET", "POST", ...
    std::string_view target;  // the request-target exactly as sent
    TargetForm form = TargetForm::kOrigin;
    std::string_view scheme;     // absolute-form only ("http")
    std::string_view authority;  // absolute-form and authority-form ("host:port")
    /// Origin- and absolute-form: the path, still percent-encoded ("/" when an absolute-form
    /// target has none); asterisk-form: "*"; authority-form: empty.
    std::string_view path;
    std::string_view query;  // after "?", without it; empty when absent
    Version version = Version::kHttp11;
    std::vector<Header> headers;  // every field line in order, duplicates kept

    /// The target URI's authority for routing and logs (RFC 9112 §3.3): the absolute-form
    /// authority when present (§3.2.2 says Host is then ignored), else the Host value ("" for
    /// an HTTP/1.0 request without Host).
    std::string_view host;
    std::optional<std::uint64_t> content_length;  // set when Content-Length framed the body
    bool chunked = false;          // Transfer-Encoding: chunked framed the body (§7)
    bool keep_alive = true;        // the connection may stay open after this exchange (§9.3)
    bool expect_continue = false;  // HTTP/1.1 "Expect: 100-continue" (RFC 9110 §10.1.1)
    bool upgrade = false;          // "Connection: upgrade" was sent

    /// The value of the first field line called `name` (ASCII case-insensitive), or nullopt.
    std::optional<std::string_view> get(std::string_view name) const noexcept;
    /// Whether any line of the list-valued field `name` holds `token` (case-insensitive), e.g.
    /// has_token("Connection", "close").
    bool has_token(std::string_view name, std::string_view token) const noexcept;
    /// Whether content follows the head (chunked, or Content-Length > 0).
    bool has_body() const noexcept { return chunked || content_length.value_or(0) > 0; }
    bool is_head() const noexcept { return method == "HEAD"; }
    /// Back to the default state; keeps the headers' capacity (no allocation next time).
    void clear() noexcept;
};

/// Calls `f(element)` for each non-empty element of a comma-separated list value (RFC 9110
/// §5.6.1), elements trimmed of whitespace. Quoted strings are not special-cased: the
/// list-valued fields this engine reads (Connection, Transfer-Encoding, Accept-Encoding,
/// Expect) have token elements.
template <typename F>
void for_each_list_element(std::string_view value, F&& f) {
    while (!value.empty()) {
        std::size_t comma = value.find(',');
        std::string_view element = value.substr(0, comma);
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        while (!element.empty() && (element.front() == ' ' || element.front() == '\t'))
            element.remove_prefix(1);
        while (!element.empty() && (element.back() == ' ' || element.back() == '\t'))
            element.remove_suffix(1);
        if (!element.empty()) f(element);
    }
}

}  // namespace netius::net::http
