#pragma once
// The server's --encoding gzip/deflate decision for one response, shared by both wires
// (h1/http_session_respond.cpp, h2/http2_stream.cpp): RFC 9110 §8.4, §12.5.3. Loop thread.
#include <optional>
#include <string>

#include "net/http/encoding.hpp"
#include "net/http/http_types.hpp"
#include "net/http/server/http_server.hpp"

namespace netius::net::http {

/// The content coding `encoding` applies to `response` for `request` (nullopt: none). For a
/// compressible response it adds Vary: Accept-Encoding; when it compresses, ETags become weak
/// (their text kept in `weak_etag`, which must outlive the response's use) and Accept-Ranges
/// is dropped (no ranges of bytes compressed on the fly). A compressible 304 gets the Vary
/// and weak ETag its 200 would have (RFC 9110 §15.4.5), and nullopt.
std::optional<ContentCoding> choose_coding(ResponseEncoding encoding, const RequestHead& request,
                                           Response& response, bool has_content,
                                           std::string& weak_etag);

/// Whether `headers` has a field called `name` (ASCII case-insensitive).
bool has_header(const std::vector<Header>& headers, std::string_view name);

}  // namespace netius::net::http
