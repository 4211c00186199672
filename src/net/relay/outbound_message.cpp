#include "net/relay/outbound_message.hpp"

#include <ctime>
#include <variant>

#include <fmt/format.h>

#include "crypto/dkim/algorithm.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/message.hpp"
#include "crypto/dkim/sign.hpp"
#include "crypto/keys.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::net::relay {
namespace {

// The parsed header section of `content`, or false when it is malformed.
bool headers_of(std::string_view content, crypto::dkim::HeaderSection& out) {
    auto r = crypto::dkim::parse_header_section(content, out);
    if (std::holds_alternative<crypto::dkim::HeadersError>(r)) return false;
    return true;  // Incomplete: a message without body; the fields seen so far count
}

bool has_field(const crypto::dkim::HeaderSection& h, std::string_view name) {
    for (const auto& f : h.fields)
        if (iequals(f.name, name)) return true;
    return false;
}

}  // namespace

std::string rfc5322_date(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return date;
}

std::string missing_fields(std::string_view content, std::string_view id, std::string_view hostname,
                           std::int64_t now) {
    crypto::dkim::HeaderSection h;
    const bool ok = headers_of(content, h);
    std::string out;
    if (!ok || !has_field(h, "Date")) out += "Date: " + rfc5322_date(now) + "\r\n";
    if (!ok || !has_field(h, "Message-ID"))
        out += fmt::format("Message-ID: <{}.{}@{}>\r\n", id, now, hostname);
    return out;
}

std::string from_domain(std::string_view content) {
    crypto::dkim::HeaderSection h;
    if (!headers_of(content, h)) return {};
    for (const auto& f : h.fields) {
        if (!iequals(f.name, "From")) continue;
        std::string_view v = f.value;
        const std::size_t lt = v.find('<');
        if (lt != std::string_view::npos) v = v.substr(lt + 1);
        const std::size_t at = v.find('@');
        if (at == std::string_view::npos) return {};
        v = v.substr(at + 1);
        const std::size_t end = v.find_first_of("> \t\r\n,;)");
        return to_lower(v.substr(0, end));
    }
    return {};
}

void DkimSigner::load(std::string_view spec) {
    const std::size_t a = spec.find(':');
    const std::size_t b = a == std::string_view::npos ? a : spec.find(':', a + 1);
    if (b == std::string_view::npos || a == 0 || b == a + 1 || b + 1 == spec.size())
        throw UsageError("--dkim: expected DOMAIN:SELECTOR:KEYFILE, got '{}'", spec);
    const std::string domain = to_lower(spec.substr(0, a));
    const std::string selector(spec.substr(a + 1, b - a - 1));
    const std::string file(spec.substr(b + 1));
    if (!crypto::dkim::valid_dns_name(domain) || !crypto::dkim::valid_dns_name(selector))
        throw UsageError("--dkim: '{}' is not a valid DOMAIN:SELECTOR", spec.substr(0, b));
    auto key = crypto::load_private_key(read_input(file), file);
    try {
        crypto::dkim::algorithm_for_key(key.get());  // RSA >= 1024 bits or Ed25519
    } catch (const Error& e) {
        throw Error("'{}': {}", file, e.what());
    }
    keys_[domain] = Key{selector, std::move(key)};
}

std::string DkimSigner::sign(std::string_view message) const {
    if (keys_.empty()) return {};
    auto it = keys_.find(from_domain(message));
    if (it == keys_.end()) return {};
    crypto::dkim::SignOptions o;
    o.domain = it->first;
    o.selector = it->second.selector;
    return crypto::dkim::sign_field(message, it->second.key.get(), o);
}

}  // namespace netius::net::relay
