#include "crypto/dkim/verify.hpp"

#include <chrono>

#include "crypto/dkim/algorithm.hpp"
#include "crypto/dkim/canonicalization.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/message.hpp"
#include "crypto/dkim/signature.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

std::int64_t clock_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

KeyType key_type_for(Algorithm a) {
    return a == Algorithm::RsaSha256 ? KeyType::Rsa : KeyType::Ed25519;
}

// The first key record that parses (§6.1.2 lets a verifier pick among several), or why none.
std::variant<KeyRecord, KeyRecordError> pick_key(const std::vector<std::string>& records) {
    KeyRecordError last{"no key"};
    for (const std::string& text : records) {
        auto rec = parse_key_record(text);
        if (std::holds_alternative<KeyRecord>(rec)) return rec;
        last = std::get<KeyRecordError>(std::move(rec));
    }
    return last;
}

// Checks one signature (§6.1); returns the failure reason, or an empty string when it passes.
std::string check(const Message& m, const HeaderField& field, const KeyLookup& lookup,
                  std::int64_t now) {
    auto parsed = parse_signature(field.value);
    if (auto* e = std::get_if<SignatureError>(&parsed)) return e->reason;
    const SignatureFields& sig = std::get<SignatureFields>(parsed);
    if (sig.expiry && *sig.expiry < now) return "signature expired";

    std::vector<std::string> records;
    try {
        records = lookup(sig.selector, sig.domain);
    } catch (const Error& e) {
        return std::string("key lookup failed: ") + e.what();
    }
    if (records.empty()) return "no key";
    auto picked = pick_key(records);
    if (auto* e = std::get_if<KeyRecordError>(&picked)) return "bad key record: " + e->reason;
    const KeyRecord& key = std::get<KeyRecord>(picked);
    if (key.revoked) return "key revoked";
    if (key.type != key_type_for(sig.algorithm)) return "key type does not match a=";
    if (key.type == KeyType::Rsa && key_bits(key.key.get()) < kMinRsaBits)
        return "key too short (RFC 8301)";
    if (key.strict && !iequals(sig.identity.substr(sig.identity.rfind('@') + 1), sig.domain))
        return "i= is a subdomain of d= but the key has t=s";

    BodyHasher body(sig.canon.body, sig.body_length);
    body.update(m.body);
    const BodyHash bh = body.finish();
    if (sig.body_length && *sig.body_length > bh.length) return "l= is longer than the body";
    if (bh.digest != sig.body_hash) return "body hash mismatch";

    const std::string input = header_hash_input(m.headers, sig.headers, sig.canon.header, field);
    if (!verify_data(sig.algorithm, key.key.get(), input, sig.signature))
        return "signature mismatch";
    return {};
}

}  // namespace

std::vector<VerifyResult> verify_message(std::string_view text, const KeyLookup& lookup,
                                         const VerifyOptions& options) {
    const Message m = parse_message(text);
    const std::int64_t now = options.now ? *options.now : clock_now();
    std::vector<VerifyResult> results;
    for (const HeaderField& field : m.headers.fields) {
        if (!iequals(field.name, kSignatureField)) continue;
        VerifyResult r;
        std::tie(r.domain, r.selector) = signature_domain_selector(field.value);
        try {
            r.reason = check(m, field, lookup, now);
        } catch (const Error& e) {
            r.reason = e.what();
        }
        r.pass = r.reason.empty();
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace netius::crypto::dkim
