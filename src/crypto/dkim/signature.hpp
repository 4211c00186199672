#pragma once
// The DKIM-Signature header field (RFC 6376 §3.5): reading and validating one, writing and
// folding one, and the header hash input both sides compute from it (§3.7, §5.4.2). Pure and
// non-throwing (errors are values); any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/dkim/algorithm.hpp"
#include "crypto/dkim/canonicalization.hpp"
#include "crypto/dkim/message.hpp"

namespace netius::crypto::dkim {

inline constexpr std::string_view kSignatureField = "DKIM-Signature";

/// A DKIM-Signature that passed the syntax and policy checks of §3.5 and §6.1.1.
struct SignatureFields {
    Algorithm algorithm = Algorithm::RsaSha256;
    Canonicalization canon{Canon::Simple, Canon::Simple};  // c= default (§3.5)
    std::string domain;                                    // d=
    std::string selector;                                  // s=
    std::vector<std::string> headers;                      // h=, names as written
    std::string body_hash;                                 // bh=, decoded
    std::string signature;                                 // b=, decoded
    std::string identity;                                  // i=, default "@" + d=
    std::optional<std::uint64_t> body_length;              // l=
    std::optional<std::int64_t> timestamp;                 // t=
    std::optional<std::int64_t> expiry;                    // x=
};

struct SignatureError {
    std::string reason;  // e.g. "From not signed", "bad tag list: duplicate tag 'b'"
};

/// Validates a DKIM-Signature field value: v=1; required a b bh d h s; a= rsa-sha256 or
/// ed25519-sha256 (rsa-sha1 refused, RFC 8301 §3.1); c=, l=, t=, x= well formed; q=
/// includes dns/txt; h= includes From (§5.4); the i= domain is d= or a subdomain (§3.5).
/// Never throws.
std::variant<SignatureFields, SignatureError> parse_signature(std::string_view value);

/// True when the domain after the last '@' of `identity` is `domain` or one of its
/// subdomains, ignoring case (§3.5 i=). false without an '@'.
bool identity_in_domain(std::string_view identity, std::string_view domain);

/// d= and s= as far as they can be read from a field that failed validation ("?" if not).
std::pair<std::string, std::string> signature_domain_selector(std::string_view value);

struct FoldOptions {
    /// No line of the field exceeds this many columns (but one tag that cannot be broken).
    std::size_t width = 78;
    /// 0: b= fills its lines up to `width`; N: b= is cut into N-character pieces, one per
    /// line (netius' layout, for reproducing its vectors).
    std::size_t b_chunk = 0;
};

/// Writes "DKIM-Signature: t1=v1; t2=v2; ...", tags in the given order (values unfolded: no
/// CR or LF, the folding is this function's), folded with `eol` at tag boundaries and inside
/// h= (after a colon), bh= and b= values. b= always starts a line (so its value never changes
/// the layout of what precedes it). Ends with `eol`.
std::string format_signature_header(const std::vector<std::pair<std::string, std::string>>& tags,
                                    const FoldOptions& fold, LineEnding eol);

/// The field's raw text with the value of its b= tag, and the whitespace around that value,
/// removed (§3.7: "the value of the b= tag (including all surrounding whitespace) deleted").
std::string without_b_value(std::string_view raw_field);

/// The header hash input (§3.7): for each name in `signed_names`, the next instance of that
/// field from the bottom (§5.4.2; missing instances contribute nothing), canonicalized; then
/// `signature_field` without its b= value, canonicalized, without the final CRLF.
std::string header_hash_input(const HeaderSection& headers,
                              const std::vector<std::string>& signed_names, Canon canon,
                              const HeaderField& signature_field);

}  // namespace netius::crypto::dkim
