#include "crypto/dkim/key_record.hpp"

#include "crypto/dkim/tag_list.hpp"
#include "crypto/encoding.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

constexpr std::size_t kMaxTxtString = 255;  // RFC 1035 §3.3.14 character-string

// True when the colon-separated list `value` (h=, s=) holds `item` (FWS allowed around items).
bool list_contains(std::string_view value, std::string_view item) {
    std::string list = strip_whitespace(value);
    std::size_t pos = 0;
    for (;;) {
        std::size_t colon = list.find(':', pos);
        if (list.compare(pos, colon == std::string::npos ? std::string::npos : colon - pos, item) ==
            0)
            return true;
        if (colon == std::string::npos) return false;
        pos = colon + 1;
    }
}

PKeyPtr rsa_key_from_der(std::string_view der) {
    try {
        return public_key_from_spki_der(der);
    } catch (const Error&) {
        // RFC 6376 §3.6.1 literally says RSAPublicKey; SPKI is what everyone publishes.
        return load_public_key(der, "p=");
    }
}

}  // namespace

std::variant<KeyRecord, KeyRecordError> parse_key_record(std::string_view text) {
    auto parsed = parse_tag_list(text);
    if (auto* e = std::get_if<TagListError>(&parsed))
        return KeyRecordError{"bad tag list: " + e->reason};
    const TagList& tags = std::get<TagList>(parsed);
    KeyRecord rec;
    if (auto v = tags.find("v")) {
        if (*v != "DKIM1") return KeyRecordError{"v= is not DKIM1"};
        if (tags.tags.front().name != "v") return KeyRecordError{"v= is not the first tag"};
    }
    if (auto k = tags.find("k")) {
        if (*k == "rsa") {
            rec.type = KeyType::Rsa;
        } else if (*k == "ed25519") {
            rec.type = KeyType::Ed25519;
        } else {
            return KeyRecordError{"unknown key type k=" + std::string(*k)};
        }
    }
    if (auto h = tags.find("h"); h && !list_contains(*h, "sha256"))
        return KeyRecordError{"h= does not allow sha256"};
    if (auto s = tags.find("s"); s && !list_contains(*s, "*") && !list_contains(*s, "email"))
        return KeyRecordError{"s= does not allow email"};
    if (auto t = tags.find("t")) {
        rec.testing = list_contains(*t, "y");
        rec.strict = list_contains(*t, "s");
    }
    auto p = tags.find("p");
    if (!p) return KeyRecordError{"missing p="};
    std::string b64 = strip_whitespace(*p);
    if (b64.empty()) {
        rec.revoked = true;
        return rec;
    }
    auto der = base64_decode(b64);
    if (!der) return KeyRecordError{"p= is not base64"};
    try {
        rec.key =
            rec.type == KeyType::Rsa ? rsa_key_from_der(*der) : public_key_from_ed25519_raw(*der);
    } catch (const Error&) {
        return KeyRecordError{rec.type == KeyType::Rsa ? "p= is not an RSA public key"
                                                       : "p= is not an Ed25519 public key"};
    }
    if (key_type(rec.key.get()) != rec.type) return KeyRecordError{"p= does not match k="};
    return rec;
}

std::string key_record_text(const EVP_PKEY* key) {
    switch (key_type(key)) {
        case KeyType::Rsa:
            return "v=DKIM1; k=rsa; p=" + base64_encode(public_key_der(key));
        case KeyType::Ed25519:
            return "v=DKIM1; k=ed25519; p=" + base64_encode(public_key_ed25519_raw(key));
        default:
            throw Error("{} keys cannot be published for DKIM", key_type_name(key));
    }
}

bool valid_dns_name(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != s.npos) return false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || u >= 0x80;
        if (!ok) return false;
    }
    return true;
}

std::string key_record_name(std::string_view selector, std::string_view domain) {
    std::string name(selector);
    name += "._domainkey.";
    name += domain;
    return name;
}

std::string txt_record_line(std::string_view selector, std::string_view domain,
                            std::string_view record) {
    std::string line = key_record_name(selector, domain) + ". IN TXT";
    do {  // the record is base64 and tags: nothing in it needs escaping inside quotes
        line += " \"";
        line += record.substr(0, kMaxTxtString);
        line += '"';
        record.remove_prefix(std::min(record.size(), kMaxTxtString));
    } while (!record.empty());
    return line;
}

std::string key_record_from_text(std::string_view text) {
    if (text.find('"') == std::string_view::npos) {  // a bare tag list
        std::string out;
        for (char c : text) out += c == '\r' || c == '\n' ? ' ' : c;
        return out;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '"') continue;
        for (++i;; ++i) {
            if (i >= text.size()) throw Error("unterminated quoted string in the TXT record");
            if (text[i] == '"') break;
            if (text[i] == '\\' && i + 1 < text.size()) ++i;  // \" and \\ (RFC 1035 §5.1)
            out += text[i];
        }
    }
    return out;
}

}  // namespace netius::crypto::dkim
