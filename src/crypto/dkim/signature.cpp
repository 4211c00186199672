#include "crypto/dkim/signature.hpp"

#include <charconv>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "crypto/dkim/tag_list.hpp"
#include "crypto/encoding.hpp"

namespace netius::crypto::dkim {

namespace {

bool is_fws_char(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Colon-separated list with optional FWS around the items (h=, q=).
std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> items;
    std::string s = strip_whitespace(value);
    std::size_t pos = 0;
    for (;;) {
        std::size_t colon = s.find(':', pos);
        items.push_back(s.substr(pos, colon == std::string::npos ? colon : colon - pos));
        if (colon == std::string::npos) return items;
        pos = colon + 1;
    }
}

// Decimal digits only (§3.5 l=, t=, x=: 1*12DIGIT for times, 1*76DIGIT for l=).
template <typename Int>
std::optional<Int> parse_number(std::string_view s, std::size_t max_digits) {
    if (s.empty() || s.size() > max_digits) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    Int v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range) return std::numeric_limits<Int>::max();
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

using Result = std::variant<SignatureFields, SignatureError>;

Result check_fields(const TagList& tags) {
    SignatureFields f;
    auto v = tags.find("v");
    if (!v) return SignatureError{"missing v= tag"};
    if (*v != "1") return SignatureError{"unsupported version v=" + std::string(*v)};
    for (const char* required : {"a", "b", "bh", "d", "h", "s"})
        if (!tags.find(required)) return SignatureError{fmt::format("missing {}= tag", required)};

    std::string_view a = *tags.find("a");
    if (a == "rsa-sha1") return SignatureError{"rsa-sha1 not accepted (RFC 8301)"};
    auto alg = parse_algorithm(a);
    if (!alg) return SignatureError{"unknown algorithm a=" + std::string(a)};
    f.algorithm = *alg;

    auto b = base64_decode(strip_whitespace(*tags.find("b")));
    if (!b || b->empty()) return SignatureError{"b= is not base64"};
    f.signature = std::move(*b);
    auto bh = base64_decode(strip_whitespace(*tags.find("bh")));
    if (!bh || bh->size() != 32) return SignatureError{"bh= is not a base64 SHA-256 digest"};
    f.body_hash = std::move(*bh);

    if (auto c = tags.find("c")) {
        auto canon = parse_canonicalization(*c);
        if (!canon) return SignatureError{"unknown canonicalization c=" + std::string(*c)};
        f.canon = *canon;
    }
    f.domain = std::string(*tags.find("d"));
    f.selector = std::string(*tags.find("s"));
    if (f.domain.empty() || f.selector.empty()) return SignatureError{"empty d= or s="};

    bool from = false;
    for (std::string& name : split_list(*tags.find("h"))) {
        if (name.empty()) return SignatureError{"empty name in h="};
        from = from || iequals(name, "from");
        f.headers.push_back(std::move(name));
    }
    if (!from) return SignatureError{"From not signed"};

    f.identity = tags.find("i") ? std::string(*tags.find("i")) : "@" + f.domain;
    if (!identity_in_domain(f.identity, f.domain)) return SignatureError{"i= not in d="};

    if (auto l = tags.find("l")) {
        f.body_length = parse_number<std::uint64_t>(*l, 76);
        if (!f.body_length) return SignatureError{"bad l= value"};
    }
    if (auto q = tags.find("q")) {
        bool dns = false;
        for (const std::string& item : split_list(*q)) dns = dns || item == "dns/txt";
        if (!dns) return SignatureError{"q= does not include dns/txt"};
    }
    if (auto t = tags.find("t")) {
        f.timestamp = parse_number<std::int64_t>(*t, 12);
        if (!f.timestamp) return SignatureError{"bad t= value"};
    }
    if (auto x = tags.find("x")) {
        f.expiry = parse_number<std::int64_t>(*x, 12);
        if (!f.expiry) return SignatureError{"bad x= value"};
        if (f.timestamp && *f.expiry < *f.timestamp) return SignatureError{"x= is before t="};
    }
    return f;
}

}  // namespace

bool identity_in_domain(std::string_view identity, std::string_view domain) {
    auto at = identity.rfind('@');
    if (at == std::string_view::npos) return false;
    std::string_view sub = identity.substr(at + 1);
    if (iequals(sub, domain)) return true;
    return sub.size() > domain.size() + 1 && sub[sub.size() - domain.size() - 1] == '.' &&
           iequals(sub.substr(sub.size() - domain.size()), domain);
}

Result parse_signature(std::string_view value) {
    auto parsed = parse_tag_list(value);
    if (auto* e = std::get_if<TagListError>(&parsed))
        return SignatureError{"bad tag list: " + e->reason};
    return check_fields(std::get<TagList>(parsed));
}

std::pair<std::string, std::string> signature_domain_selector(std::string_view value) {
    // Tolerant on purpose: this only labels a result whose field may be malformed.
    std::string d = "?", s = "?";
    std::size_t pos = 0;
    while (pos <= value.size()) {
        std::size_t semi = value.find(';', pos);
        std::string_view spec =
            value.substr(pos, semi == std::string_view::npos ? semi : semi - pos);
        std::string flat = strip_whitespace(spec);
        if (flat.rfind("d=", 0) == 0 && flat.size() > 2) d = flat.substr(2);
        if (flat.rfind("s=", 0) == 0 && flat.size() > 2) s = flat.substr(2);
        if (semi == std::string_view::npos) break;
        pos = semi + 1;
    }
    return {d, s};
}

std::string format_signature_header(const std::vector<std::pair<std::string, std::string>>& tags,
                                    const FoldOptions& fold, LineEnding eol) {
    const std::string_view nl = line_ending_text(eol);
    std::string out(kSignatureField);
    out += ':';
    std::size_t col = out.size();
    auto newline = [&] {
        out += nl;
        out += ' ';  // the folding whitespace that starts every continuation line
        col = 1;
    };
    auto put = [&](std::string_view s) {
        out += s;
        col += s.size();
    };
    // Cuts `rest` (then `end`) over as many lines as needed, filling each to the width.
    auto put_broken = [&](std::string_view rest, std::string_view end) {
        for (;;) {
            std::size_t room = fold.width > col ? fold.width - col : 0;
            if (rest.size() + end.size() <= room || (rest.empty() && col <= 1)) {
                put(rest);
                return put(end);
            }
            std::size_t take = std::min(room, rest.size());
            if (take == rest.size() && take > 0) --take;  // leave a character to carry `end`
            if (take == 0 && col <= 1) take = 1;          // every line makes progress
            put(rest.substr(0, take));
            rest.remove_prefix(take);
            newline();
        }
    };

    for (std::size_t i = 0; i < tags.size(); ++i) {
        const auto& [name, value] = tags[i];
        const std::string_view end = i + 1 < tags.size() ? ";" : "";
        std::string whole = name;
        whole.append("=").append(value).append(end);
        if (name == "b") {
            newline();
            put("b=");
            if (fold.b_chunk == 0) {
                put_broken(value, end);
            } else {
                for (std::size_t p = 0; p < value.size(); p += fold.b_chunk) {
                    if (p > 0) newline();
                    put(std::string_view(value).substr(p, fold.b_chunk));
                }
                put(end);
            }
            continue;
        }
        if (col + 1 + whole.size() <= fold.width) {
            put(" ");
            put(whole);
            continue;
        }
        newline();
        if (whole.size() + 1 <= fold.width || (name != "h" && name != "bh")) {
            put(whole);  // fits on a line of its own, or cannot be broken
        } else if (name == "bh") {
            put("bh=");
            put_broken(value, end);
        } else {  // h=: break after a colon, where FWS is allowed (§3.5)
            put("h=");
            auto names = split_list(value);
            for (std::size_t k = 0; k < names.size(); ++k) {
                std::string piece = names[k] + (k + 1 < names.size() ? ":" : std::string(end));
                if (col + piece.size() > fold.width && col > 1 && out.back() == ':') newline();
                put(piece);
            }
        }
    }
    out += nl;
    return out;
}

std::string without_b_value(std::string_view raw) {
    std::size_t pos = raw.find(':');
    if (pos == std::string_view::npos) return std::string(raw);
    ++pos;
    while (pos < raw.size()) {
        std::size_t semi = raw.find(';', pos);
        std::size_t spec_end = semi == std::string_view::npos ? raw.size() : semi;
        std::size_t p = pos;
        while (p < spec_end && is_fws_char(raw[p])) ++p;
        if (p < spec_end && raw[p] == 'b') {
            std::size_t q = p + 1;
            while (q < spec_end && is_fws_char(raw[q])) ++q;
            if (q < spec_end && raw[q] == '=')
                return std::string(raw.substr(0, q + 1)) + std::string(raw.substr(spec_end));
        }
        if (semi == std::string_view::npos) break;
        pos = semi + 1;
    }
    return std::string(raw);
}

std::string header_hash_input(const HeaderSection& headers,
                              const std::vector<std::string>& signed_names, Canon canon,
                              const HeaderField& signature_field) {
    std::string out;
    std::map<std::string, std::size_t> next_above;  // per name: search below this index
    for (const std::string& name : signed_names) {
        std::string key = lower(name);
        auto [it, _] = next_above.try_emplace(key, headers.fields.size());
        std::size_t i = it->second;
        while (i > 0 && !iequals(headers.fields[i - 1].name, name)) --i;
        if (i > 0) canonicalize_header(canon, headers.fields[i - 1], out);
        it->second = i > 0 ? i - 1 : 0;
    }
    const std::string stripped = without_b_value(signature_field.raw);
    const std::size_t value_at = signature_field.value.data() - signature_field.raw.data();
    HeaderField sig{signature_field.name, std::string_view(stripped).substr(value_at), stripped,
                    signature_field.line};
    canonicalize_header(canon, sig, out);
    out.resize(out.size() - 2);  // the signature field is hashed without its CRLF (§3.7)
    return out;
}

}  // namespace netius::crypto::dkim
