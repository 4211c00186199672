#pragma once
// DKIM canonicalization, RFC 6376 §3.4: "simple" and "relaxed" for header fields and bodies.
// A bare LF counts as CRLF (what an MTA does before the message reaches a verifier), so LF-only
// files sign and verify like their CRLF form. Pure functions, any thread; a BodyCanonicalizer or
// BodyHasher object belongs to one thread at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/dkim/message.hpp"
#include "crypto/ossl.hpp"

namespace netius::crypto::dkim {

enum class Canon { Simple, Relaxed };

struct Canonicalization {
    Canon header = Canon::Relaxed;
    Canon body = Canon::Relaxed;
    bool operator==(const Canonicalization&) const = default;
};

/// Parses a c= value (§3.5) or --canonicalization: "simple", "relaxed", "relaxed/simple", ...
/// A single word is the header algorithm with a simple body, as in c=. nullopt otherwise.
std::optional<Canonicalization> parse_canonicalization(std::string_view text);

/// "relaxed/relaxed", "simple/simple", ...
std::string to_string(Canonicalization c);

/// Appends the canonical form of `field` followed by CRLF (§3.4.1 simple: the field unchanged;
/// §3.4.2 relaxed: lowercase name, unfolded value, WSP runs as one SP, no WSP at either end).
void canonicalize_header(Canon canon, const HeaderField& field, std::string& out);

/// Streaming body canonicalization (§3.4.3 simple, §3.4.4 relaxed). Feed the body in chunks of
/// any size; the output is identical however it is split. Holds back only trailing whitespace
/// and line ends, which can be dropped at the end of the body.
class BodyCanonicalizer {
  public:
    explicit BodyCanonicalizer(Canon canon) : canon_(canon) {}

    /// Appends the canonical form of `chunk` (as far as it is decided) to `out`.
    void update(std::string_view chunk, std::string& out);
    /// Appends the held-back end: one CRLF after a non-empty body; an empty body is "\r\n" for
    /// simple and nothing for relaxed. Call once. Relaxed drops WSP at the end of a last line
    /// that has no line ending, as at the end of any line (§3.4.4 a); implementations disagree
    /// on that case (dkimpy keeps one SP, OpenDKIM also omits the CRLF), which SMTP, whose DATA
    /// always ends with CRLF, never produces.
    void finish(std::string& out);

  private:
    void data(char c, std::string& out);

    Canon canon_;
    std::uint64_t pending_lines_ = 0;  // line ends not yet written (maybe trailing empty lines)
    bool pending_wsp_ = false;         // relaxed: WSP seen since the last data character
    bool pending_cr_ = false;          // a CR whose LF may come in the next chunk
    bool wrote_data_ = false;
};

/// The whole canonical body at once (tests, small bodies).
std::string canonicalize_body(Canon canon, std::string_view body);

struct BodyHash {
    std::string digest;    // SHA-256 of the canonical body (or its first `limit` bytes)
    std::uint64_t length;  // length of the whole canonical body
};

/// SHA-256 of a canonical body, fed in chunks (§3.7 body hash, l= as `limit`).
class BodyHasher {
  public:
    /// Hashes only the first `limit` canonical bytes when given (the l= tag, §3.5).
    explicit BodyHasher(Canon canon, std::optional<std::uint64_t> limit = std::nullopt);
    void update(std::string_view chunk);
    /// Call once. Throws netius::Error if OpenSSL fails.
    BodyHash finish();

  private:
    void hash(std::string_view canonical);

    BodyCanonicalizer canon_;
    std::optional<std::uint64_t> limit_;
    std::uint64_t length_ = 0;
    MdCtxPtr ctx_;
    std::string buffer_;
};

}  // namespace netius::crypto::dkim
