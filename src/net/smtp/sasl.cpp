#include "net/smtp/sasl.hpp"

#include "crypto/encoding.hpp"

namespace netius::net::smtp {

SaslStatus decode_response(std::string_view line, std::string& out) {
    out.clear();
    if (line == "*") return SaslStatus::kCancelled;
    if (line == "=") return SaslStatus::kOk;
    if (line.empty()) return SaslStatus::kBadBase64;
    auto decoded = crypto::base64_decode(line);
    if (!decoded) return SaslStatus::kBadBase64;
    out = std::move(*decoded);
    return SaslStatus::kOk;
}

SaslStatus decode_plain(std::string_view line, Credentials& out) {
    std::string message;
    SaslStatus s = decode_response(line, message);
    if (s != SaslStatus::kOk) return s;
    const std::size_t first = message.find('\0');
    if (first == std::string::npos) return SaslStatus::kBadMessage;
    const std::size_t second = message.find('\0', first + 1);
    if (second == std::string::npos || message.find('\0', second + 1) != std::string::npos)
        return SaslStatus::kBadMessage;
    std::string_view m = message;
    std::string_view authzid = m.substr(0, first);
    out.user = std::string(m.substr(first + 1, second - first - 1));
    out.password = std::string(m.substr(second + 1));
    if (out.user.empty() || out.password.empty() || (!authzid.empty() && authzid != out.user))
        return SaslStatus::kBadMessage;
    return SaslStatus::kOk;
}

}  // namespace netius::net::smtp
