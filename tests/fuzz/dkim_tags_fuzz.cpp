// libFuzzer target for DKIM tag=value lists (RFC 6376 §3.2) and what is built on them: the
// DKIM-Signature field (§3.5) and the key record (§3.6.1) with its TXT form (§3.6.2.2).
//
// Input: the text of a tag list (a DKIM-Signature value or a key record).
// Invariants: tag views lie inside the text, names are unique and find() returns each one's
// value; an accepted tag list, unfolded, written back by format_signature_header and read
// again, gives the same names and (whitespace aside) values; parse_signature, parse_key_record,
// signature_domain_selector and without_b_value never throw; an accepted signature signs From
// and its i= lies within d=; a key record round-trips through key_record_text and through a
// zone-file line; base64 and hex decoders round-trip what they accept.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/signature.hpp"
#include "crypto/dkim/tag_list.hpp"
#include "crypto/encoding.hpp"
#include "fuzz_util.hpp"
#include "util/error.hpp"

using namespace netius::crypto;
using namespace netius::crypto::dkim;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

void check_tag_list(std::string_view text) {
    auto parsed = parse_tag_list(text);
    if (auto* e = std::get_if<TagListError>(&parsed)) {
        check(!e->reason.empty(), "tag list error without a reason");
        return;
    }
    const TagList& list = std::get<TagList>(parsed);
    std::set<std::string_view> names;
    std::vector<std::pair<std::string, std::string>> tags;
    for (const Tag& t : list.tags) {
        check(inside(t.name, text) && inside(t.value, text), "tag view outside the text");
        check(!t.name.empty() && names.insert(t.name).second, "empty or duplicate tag name");
        check(list.find(t.name) == t.value, "find() disagrees with the list");
        // Unfolded, as format_signature_header takes them (the folding is its own).
        std::string unfolded;
        for (char c : t.value)
            if (c != '\r' && c != '\n') unfolded += c;
        tags.emplace_back(t.name, unfolded);
    }
    // Written back as a header field (folded) and read again.
    for (LineEnding eol : {LineEnding::Crlf, LineEnding::Lf}) {
        const std::string field = format_signature_header(tags, FoldOptions{}, eol);
        check(field.starts_with(std::string(kSignatureField) + ":"), "formatted field name");
        const std::string_view value = std::string_view(field).substr(kSignatureField.size() + 1);
        auto again = parse_tag_list(value.substr(0, value.size() - line_ending_text(eol).size()));
        check(std::holds_alternative<TagList>(again), "a formatted tag list does not parse");
        const TagList& reread = std::get<TagList>(again);
        check(reread.tags.size() == tags.size(), "a formatted tag list has other tags");
        for (std::size_t i = 0; i < tags.size(); ++i)
            check(reread.tags[i].name == tags[i].first &&
                      strip_whitespace(reread.tags[i].value) == strip_whitespace(tags[i].second),
                  "a formatted tag changed");
    }
}

void check_signature(std::string_view text) {
    auto parsed = parse_signature(text);
    if (auto* s = std::get_if<SignatureFields>(&parsed)) {
        check(!s->domain.empty() && !s->selector.empty(), "accepted without d= or s=");
        bool from = false;
        for (const std::string& h : s->headers) from = from || iequals(h, "From");
        check(from, "accepted without From signed");
        check(identity_in_domain(s->identity, s->domain), "accepted with i= outside d=");
    } else {
        check(!std::get<SignatureError>(parsed).reason.empty(), "signature error without reason");
    }
    (void)signature_domain_selector(text);
    const std::string field = std::string(kSignatureField) + ":" + std::string(text);
    check(without_b_value(field).size() <= field.size(), "removing b= made the field longer");
}

void check_key_record(std::string_view text) {
    auto parsed = parse_key_record(text);
    if (auto* k = std::get_if<KeyRecord>(&parsed)) {
        check(k->revoked == !k->key, "revoked disagrees with the key");
        if (k->key) {
            auto again = parse_key_record(key_record_text(k->key.get()));
            check(std::holds_alternative<KeyRecord>(again) &&
                      EVP_PKEY_eq(std::get<KeyRecord>(again).key.get(), k->key.get()) == 1,
                  "key_record_text does not round-trip");
        }
    } else {
        check(!std::get<KeyRecordError>(parsed).reason.empty(), "key record error without reason");
    }
    try {
        (void)key_record_from_text(text);
    } catch (const netius::Error&) {
    }
    // The zone-file line holds the record verbatim (it needs no escapes: base64 and tags).
    if (text.find_first_of("\"\\") == std::string_view::npos)
        check(key_record_from_text(txt_record_line("sel", "example.com", text)) == text,
              "a zone-file line does not round-trip");
}

void check_encodings(std::string_view text) {
    if (auto b = base64_decode(text))
        check(base64_decode(base64_encode(*b)) == b, "base64 does not round-trip");
    if (auto h = hex_decode(text)) {
        check(h->size() * 2 == text.size(), "hex decoded to the wrong size");
        check(hex_decode(hex_encode(*h)) == h, "hex does not round-trip");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 8192) return 0;  // a DKIM-Signature or TXT record is far smaller
    auto buf = copy_of(std::string_view(reinterpret_cast<const char*>(data), size));
    const std::string_view text(buf.get(), size);
    check_tag_list(text);
    check_signature(text);
    check_key_record(text);
    check_encodings(text);
    return 0;
}
