#pragma once
// What the HTTP client sends (RFC 9112 §3, RFC 9110 §7, §9, §10, §11) and its serialisation.
// Pure; any thread.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http/client/upload.hpp"
#include "net/http/client/url.hpp"

namespace netius::net::http {

/// The client's User-Agent (netius-compat.md: "netius"; the version only at DEBUG level).
inline constexpr std::string_view kUserAgent = "netius";

struct ClientRequest {
    std::string method = "GET";
    Url url;
    /// The user's fields, in order. One named like a default field (Host, User-Agent, Accept,
    /// Accept-Encoding, Authorization) replaces it; an empty value removes it (curl's
    /// `-H 'Accept:'`). Names and values must be valid field syntax (checked by the caller).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent with Content-Length when non-empty or when method is POST/PUT
    /// Content sent as it becomes available (upload.hpp), instead of `body`: Content-Length
    /// when its size is known, else Transfer-Encoding: chunked (HTTP/1.1).
    std::shared_ptr<Upload> upload;
    /// A request to switch protocols (Connection: upgrade and Upgrade among `headers`, no
    /// content; a WebSocket handshake), HTTP/1.1 only. Answered 101, the exchange becomes a
    /// tunnel: `upload` is sent as it is, without framing (its end half-closes the
    /// connection), and every byte after the 101 head is content until the server closes.
    /// Answered otherwise, it is an ordinary exchange and `upload` is never read.
    bool upgrade = false;
    std::string user_agent{kUserAgent};
    std::string accept_encoding;  // empty: no Accept-Encoding field
    /// Send the URL's userinfo as Basic credentials (RFC 7617). The client clears it when a
    /// redirect leaves the origin the credentials were given for.
    bool send_credentials = true;
    /// A proxy's request: `headers` are sent exactly as given (Host among them, empty values
    /// kept), with no default field added; Content-Length as below.
    bool exact_fields = false;

    bool is_head() const { return method == "HEAD"; }
};

/// The request's header fields in the order they are sent (exact_fields: `headers` as they
/// are, then Content-Length): Host first (RFC 9110 §7.2), then
/// User-Agent, Accept: */*, Accept-Encoding, Authorization: Basic (when the URL has userinfo
/// and send_credentials), the user's fields, Content-Length (or, for an upload of unknown
/// size, Transfer-Encoding: chunked; a user's Transfer-Encoding is never sent). Names as spelt
/// (HTTP/2 lowercases them, h2_request.hpp). Shared by both wires, so HTTP/1.1 and HTTP/2 send the
/// same fields.
std::vector<std::pair<std::string, std::string>> request_fields(const ClientRequest& request);

/// Appends the HTTP/1.1 request: "METHOD target HTTP/1.1", request_fields(), the empty line,
/// the body (not an upload's content: the session sends that as it comes).
void append_request(std::string& out, const ClientRequest& request);

/// Whether `name` is a field name (a token) and `value` a field value without CR, LF or NUL
/// (RFC 9110 §5.1, §5.5), i.e. whether `-H 'name: value'` can be sent as it is.
bool valid_field(std::string_view name, std::string_view value) noexcept;

}  // namespace netius::net::http
