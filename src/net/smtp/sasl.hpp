#pragma once
// The SASL mechanisms of SMTP AUTH (RFC 4954) the server offers: PLAIN (RFC 4616) and LOGIN
// (draft-murchison-sasl-login). Pure decoding of the client's base64 responses; any thread.
#include <optional>
#include <string>
#include <string_view>

namespace netius::net::smtp {

struct Credentials {
    std::string user;
    std::string password;
};

/// What a client's base64 response line means.
enum class SaslStatus {
    kOk,          // decoded
    kCancelled,   // "*" (RFC 4954 §4): 501 5.7.0
    kBadBase64,   // not base64: 501 5.5.2
    kBadMessage,  // decoded, but not what the mechanism expects: 535
};

/// Decodes one response line: "=" is the empty response (RFC 4954 §4), "*" cancels.
SaslStatus decode_response(std::string_view line, std::string& out);

/// PLAIN's message "[authzid] NUL authcid NUL passwd" (RFC 4616 §2). An authorization
/// identity other than the user is refused (no proxy authorization): kBadMessage.
SaslStatus decode_plain(std::string_view line, Credentials& out);

/// LOGIN's prompts: base64 of "Username:" and "Password:".
inline constexpr std::string_view kLoginUserPrompt = "VXNlcm5hbWU6";
inline constexpr std::string_view kLoginPasswordPrompt = "UGFzc3dvcmQ6";

}  // namespace netius::net::smtp
