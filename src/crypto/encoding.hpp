#pragma once
// Base64 and hex (libsodium's constant-time codecs). Pure functions; any thread.
#include <optional>
#include <string>
#include <string_view>

namespace netius::crypto {

/// Standard base64 with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

/// Decodes standard base64; whitespace (space, tab, CR, LF) anywhere is ignored, as in DKIM
/// tag values (RFC 6376 §3.2). nullopt on any other invalid character or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

/// Lowercase hex.
std::string hex_encode(std::string_view bytes);

/// Decodes hex of either case; nullopt on odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace netius::crypto
