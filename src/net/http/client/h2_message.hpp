#pragma once
// The HTTP/2 shape of the client's messages (RFC 9113 §8), pure and table-tested: a
// ClientRequest as the field list nghttp2 sends (pseudo-header fields first, names in lower
// case, no connection-specific fields), and one response HEADERS block, as nghttp2 decodes it
// field by field, gathered into the ClientResponseHead every wire hands on. Framing and HPACK
// are nghttp2's (h2_client_session.hpp). Any thread.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http/client/client_request.hpp"
#include "net/http/h1/response_parser.hpp"
#include "net/http/limits.hpp"

namespace netius::net::http {

using FieldList = std::vector<std::pair<std::string, std::string>>;

/// `request` as HTTP/2 fields (RFC 9113 §8.3.1): :method, :scheme, :authority (the Host
/// field's value: the URL's authority, or the user's -H Host), :path, then request_fields()
/// with lower-case names, less Host and the connection-specific fields of §8.2.2 (Connection,
/// Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, and TE unless it is "trailers").
FieldList h2_request_fields(const ClientRequest& request);

/// The request head as `-v` shows it: "GET /path HTTP/2", "host: " and the :authority, then
/// each regular field of `fields` (h2_request_fields' output) as "name: value", CRLF line
/// ends, an empty line at the end.
std::string h2_request_display(const ClientRequest& request, const FieldList& fields);

/// Gathers one response header block. Bounded by `limits` like an HTTP/1.1 head: the fields'
/// names and values (plus the 32 bytes of RFC 9113 §6.5.2's accounting per field) over
/// max_head_bytes, or more than max_header_count fields, is an error. Not thread-safe.
class H2ResponseHead {
  public:
    /// `limits` must outlive the builder.
    explicit H2ResponseHead(const Limits& limits) : limits_(&limits) {}

    /// Starts a new block (keeps capacity).
    void reset();
    /// Adds one decoded field (nghttp2 has checked its syntax and the pseudo-header rules).
    /// False, with error() set, past the limits or for a :status that is not 100..999.
    bool add(std::string_view name, std::string_view value);
    /// The block ended: fills `head` (views into this builder, valid until reset() or the next
    /// add()) with version kHttp2, the status, its RFC 9110 reason phrase, the regular fields
    /// in order and Content-Length. False, with error() set, when there was no :status.
    bool finish(ClientResponseHead& head);
    /// After finish(): the head as text, "HTTP/2 200" then "name: value" lines and an empty
    /// line, CRLF ends (what -v and -i show; HTTP/2 has no head bytes of its own).
    std::string_view raw() const { return raw_; }
    const std::string& error() const { return error_; }

  private:
    const Limits* limits_;
    int status_ = 0;
    std::size_t bytes_ = 0;
    std::string raw_;
    std::vector<std::pair<std::size_t, std::size_t>> names_, values_;  // offsets into raw_
    std::string error_;
};

}  // namespace netius::net::http
