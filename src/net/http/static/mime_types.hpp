#pragma once
// Media types of files by extension (RFC 9110 §8.3), for Content-Type. The table is netius'
// (Python 3.11's built-in mimetypes map plus netius' overrides, netius-spec §5.6) with common
// modern types added (webp, woff2, markdown...). Independent of /etc/mime.types, so every host
// answers the same. Pure, any thread; every returned view is static text.
#include <string_view>

namespace netius::net::http {

inline constexpr std::string_view kOctetStream = "application/octet-stream";

/// The Content-Type value for `filename`: looked up by the text after its last "." (ASCII
/// case-insensitive); text types carry "; charset=utf-8". kOctetStream when unknown.
std::string_view content_type_for(std::string_view filename) noexcept;

/// The media type alone (no parameters) of a Content-Type value.
std::string_view media_type_of(std::string_view content_type) noexcept;

/// Whether compressing content of this Content-Type pays: text/*, JavaScript, JSON, XML and
/// their +json/+xml kin, SVG, WebAssembly. Images, audio, video, fonts in woff/woff2 and
/// archives are compressed already.
bool is_compressible(std::string_view content_type) noexcept;

}  // namespace netius::net::http
