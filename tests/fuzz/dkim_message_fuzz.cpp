// libFuzzer target for the DKIM message path (RFC 6376 §3.4, §5.4, §6): header-section
// parsing, header and body canonicalization, and verify_message over a fixed key table, the
// work `netius dkim verify` does with a message from anyone.
//
// Keys: selector "rsa" is the RSA-1024 key tests/data/keys/netius_d1.pem, "none" has no
// record, "bad" a malformed one, "fail" a lookup error, any other the Ed25519 key of
// tests/data/keys/ed25519_pkcs8.pem. Seeds signed with those keys pass.
//
// Invariants: the header parser's views lie inside the input; a prefix of a complete header
// section is Incomplete, the section itself complete with the same fields; parse_message
// throws for a malformed section, not for a complete good one, and its body is the rest;
// canonical header lines end in CRLF; body canonicalization and hashing agree however the
// body is split; verify_message gives one result per DKIM-Signature field, with a reason
// exactly when it fails.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crypto/dkim/canonicalization.hpp"
#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/message.hpp"
#include "crypto/dkim/signature.hpp"
#include "crypto/dkim/verify.hpp"
#include "crypto/keys.hpp"
#include "fuzz_util.hpp"
#include "util/error.hpp"

using namespace netius::crypto;
using namespace netius::crypto::dkim;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

std::string ed25519_record, rsa_record;

std::string key_record_of(const char* file) {
    std::ifstream in(std::string(NETIUS_TEST_DATA) + "/keys/" + file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return key_record_text(load_key(text.str(), file).get());
}

std::vector<std::string> lookup(std::string_view selector, std::string_view) {
    if (selector == "none") return {};
    if (selector == "bad") return {"v=DKIM1; k=rsa; p=@@@"};
    if (selector == "fail") throw netius::Error("lookup timed out");
    return {selector == "rsa" ? rsa_record : ed25519_record};
}

// The fields as owned text, for comparing parses.
std::string fields_of(const HeaderSection& s, std::string_view in) {
    std::string out;
    for (const HeaderField& f : s.fields) {
        check(inside(f.name, in) && inside(f.value, in) && inside(f.raw, in),
              "field view outside the input");
        check(!f.name.empty() && f.line >= 1, "empty field name or line number");
        out.append(f.raw).append("\x01").append(std::to_string(f.line)).push_back('\n');
    }
    return out;
}

std::string canonical_body(Canon canon, std::string_view body, std::size_t split) {
    BodyCanonicalizer c(canon);
    std::string out;
    c.update(body.substr(0, split), out);
    c.update(body.substr(split), out);
    c.finish(out);
    return out;
}

void check_body(std::string_view body, std::size_t split) {
    for (Canon canon : {Canon::Simple, Canon::Relaxed}) {
        const std::string whole = canonicalize_body(canon, body);
        check(canonical_body(canon, body, split) == whole, "split body canonicalizes differently");
        check(whole.empty() || whole.ends_with("\r\n"), "canonical body without a final CRLF");
        BodyHasher a(canon), b(canon);
        a.update(body);
        b.update(body.substr(0, split));
        b.update(body.substr(split));
        BodyHash ha = a.finish(), hb = b.finish();
        check(ha.digest == hb.digest && ha.length == hb.length && ha.length == whole.size(),
              "split body hashes differently");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ed25519_record = key_record_of("ed25519_pkcs8.pem");
    rsa_record = key_record_of("netius_d1.pem");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto buf = copy_of(std::string_view(reinterpret_cast<const char*>(data), size));
    const std::string_view input(buf.get(), size);
    const std::size_t split = size == 0 ? 0 : (data[0] * 7919u) % size;

    const MessageLimits small{16, 2048};
    for (const MessageLimits& limits : {MessageLimits{}, small}) {
        HeaderSection whole;
        const HeadersResult r = parse_header_section(input, whole, limits);
        const std::string want = fields_of(whole, input);
        check(whole.fields.size() <= limits.max_fields, "more fields than the limit");
        if (auto* c = std::get_if<HeadersComplete>(&r)) {
            check(c->consumed <= size && c->consumed <= limits.max_header_bytes,
                  "header section past the input or the limit");
            HeaderSection again;
            auto exact = copy_of(input.substr(0, c->consumed));
            const std::string_view prefix(exact.get(), c->consumed);
            const HeadersResult r2 = parse_header_section(prefix, again, limits);
            check(std::holds_alternative<HeadersComplete>(r2) && fields_of(again, prefix) == want,
                  "the header section alone parses differently");
            if (c->consumed > 0) {
                auto shorter = copy_of(input.substr(0, c->consumed - 1));
                const std::string_view cut(shorter.get(), c->consumed - 1);
                check(std::holds_alternative<HeadersIncomplete>(
                          parse_header_section(cut, again, limits)),
                      "a proper prefix of a header section is not Incomplete");
            }
        } else if (auto* e = std::get_if<HeadersError>(&r)) {
            check(e->line >= 1 && !e->reason.empty(), "error without a line or a reason");
        }
    }

    // parse_message judges an unterminated last line at the end of the data, so where the
    // incremental parser says Incomplete it may go either way.
    HeaderSection section;
    const HeadersResult incremental = parse_header_section(input, section);
    Message message;
    try {
        message = parse_message(input);
    } catch (const netius::Error&) {
        check(!std::holds_alternative<HeadersComplete>(incremental),
              "parse_message threw for a complete, well-formed header section");
        return 0;
    }
    check(!std::holds_alternative<HeadersError>(incremental),
          "parse_message accepted a malformed header section");
    check(inside(message.body, input) &&
              (message.body.empty() ||
               message.body.data() + message.body.size() == input.data() + size),
          "body is not the end of the input");
    std::size_t signatures = 0;
    for (const HeaderField& f : message.headers.fields) {
        if (iequals(f.name, kSignatureField)) ++signatures;
        for (Canon canon : {Canon::Simple, Canon::Relaxed}) {
            std::string line;
            canonicalize_header(canon, f, line);
            check(line.ends_with("\r\n"), "canonical header line without CRLF");
        }
    }
    check_body(message.body, message.body.empty() ? 0 : split % message.body.size());

    VerifyOptions options;
    options.now = 1700000000;
    const std::vector<VerifyResult> results = verify_message(input, lookup, options);
    check(results.size() == signatures, "not one result per DKIM-Signature field");
    for (const VerifyResult& v : results)
        check(v.pass == v.reason.empty(), "a pass with a reason or a failure without one");
    return 0;
}
