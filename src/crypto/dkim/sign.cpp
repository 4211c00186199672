#include "crypto/dkim/sign.hpp"

#include <array>
#include <chrono>

#include "crypto/dkim/algorithm.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/encoding.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

// RFC 6376 §5.4.1 recommended set, plus what dkimpy and OpenDKIM add by default.
// clang-format off
constexpr std::array<std::string_view, 28> kDefaultSigned = {
    "from", "sender", "reply-to", "subject", "date", "message-id", "to", "cc",
    "mime-version", "content-type", "content-transfer-encoding", "content-id",
    "content-description", "resent-date", "resent-from", "resent-sender", "resent-to",
    "resent-cc", "resent-message-id", "in-reply-to", "references", "list-id", "list-help",
    "list-unsubscribe", "list-subscribe", "list-post", "list-owner", "list-archive"};
// clang-format on

bool signed_by_default(std::string_view name) {
    for (std::string_view n : kDefaultSigned)
        if (iequals(n, name)) return true;
    return false;
}

bool is_field_name(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == ':' || c == ';') return false;
    }
    return true;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ':';
        out += n;
    }
    return out;
}

std::int64_t now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string make_signature_field(const Message& message, EVP_PKEY* key, const SignatureSpec& spec) {
    const Algorithm alg = algorithm_for_key(key);
    BodyHasher body(spec.canon.body);
    body.update(message.body);
    const BodyHash bh = body.finish();

    std::vector<std::pair<std::string, std::string>> tags = {
        {"v", "1"},
        {"a", std::string(algorithm_name(alg))},
        {"c", to_string(spec.canon)},
        {"d", spec.domain}};
    if (spec.identity) tags.emplace_back("i", *spec.identity);
    if (spec.body_length) tags.emplace_back("l", std::to_string(bh.length));
    if (spec.query_tag) tags.emplace_back("q", "dns/txt");
    tags.emplace_back("s", spec.selector);
    if (spec.timestamp) tags.emplace_back("t", std::to_string(*spec.timestamp));
    if (spec.expiry) tags.emplace_back("x", std::to_string(*spec.expiry));
    tags.emplace_back("h", join(spec.headers));
    tags.emplace_back("bh", base64_encode(bh.digest));
    // Lay the field out with a b= of the final length, so the signed copy (b= value removed)
    // is exactly the field we output (it matters for simple header canonicalization).
    const std::size_t b_len = (signature_size(key) + 2) / 3 * 4;
    tags.emplace_back("b", std::string(b_len, 'A'));

    const LineEnding eol = message.headers.line_ending;
    const std::string draft = format_signature_header(tags, spec.fold, eol);
    const Message parsed = parse_message(draft);
    if (parsed.headers.fields.size() != 1) throw Error("cannot lay out the DKIM-Signature field");
    const std::string input = header_hash_input(message.headers, spec.headers, spec.canon.header,
                                                parsed.headers.fields.front());
    tags.back().second = base64_encode(sign_data(alg, key, input));
    std::string field = format_signature_header(tags, spec.fold, eol);
    if (field.size() != draft.size() || without_b_value(field) != without_b_value(draft))
        throw Error("internal error: the b= value changed the DKIM-Signature layout");
    return field;
}

std::vector<std::string> default_signed_headers(const HeaderSection& headers) {
    std::vector<std::string> names;
    std::string from;
    for (const HeaderField& f : headers.fields) {
        if (!signed_by_default(f.name)) continue;
        names.emplace_back(f.name);
        if (iequals(f.name, "from")) from = f.name;
    }
    if (!from.empty()) names.push_back(from);  // oversign From (§8.15)
    return names;
}

void require_from(const Message& message) {
    for (const HeaderField& f : message.headers.fields)
        if (iequals(f.name, "from")) return;
    throw Error("the message has no From header field (RFC 5322 §3.6.2)");
}

std::string sign_field(std::string_view message_text, EVP_PKEY* key, const SignOptions& o) {
    return sign_field(parse_message(message_text), key, o);
}

std::string sign_field(const Message& message, EVP_PKEY* key, const SignOptions& o) {
    if (!valid_dns_name(o.domain)) throw Error("invalid domain '{}'", o.domain);
    if (!valid_dns_name(o.selector)) throw Error("invalid selector '{}'", o.selector);
    require_from(message);

    SignatureSpec spec;
    spec.domain = o.domain;
    spec.selector = o.selector;
    spec.canon = o.canon;
    spec.body_length = o.body_length;
    spec.timestamp = o.timestamp ? *o.timestamp : now();
    spec.expiry = o.expiry;
    if (o.identity) {
        if (o.identity->find('@') == std::string::npos ||
            o.identity->find_first_of("; \t\r\n") != std::string::npos)
            throw Error("invalid identity '{}' (expected [local-part]@domain)", *o.identity);
        if (!identity_in_domain(*o.identity, o.domain))
            throw Error("identity '{}' is not within domain '{}'", *o.identity, o.domain);
        spec.identity = o.identity;
    }
    if (o.headers.empty()) {
        spec.headers = default_signed_headers(message.headers);
    } else {
        bool from = false;
        for (const std::string& name : o.headers) {
            if (!is_field_name(name)) throw Error("invalid header field name '{}'", name);
            from = from || iequals(name, "from");
        }
        if (!from) throw Error("the signed headers must include From (RFC 6376 §5.4)");
        spec.headers = o.headers;
    }
    return make_signature_field(message, key, spec);
}

std::string sign_message(std::string_view message, EVP_PKEY* key, const SignOptions& options) {
    std::string out = sign_field(message, key, options);
    out += message;
    return out;
}

}  // namespace netius::crypto::dkim
