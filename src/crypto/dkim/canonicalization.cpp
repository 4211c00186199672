#include "crypto/dkim/canonicalization.hpp"

#include "util/ascii.hpp"

#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::optional<Canon> parse_canon(std::string_view word) {
    if (word == "simple") return Canon::Simple;
    if (word == "relaxed") return Canon::Relaxed;
    return std::nullopt;
}

std::string_view canon_name(Canon c) {
    return c == Canon::Simple ? "simple" : "relaxed";
}

}  // namespace

std::optional<Canonicalization> parse_canonicalization(std::string_view text) {
    auto slash = text.find('/');
    auto header = parse_canon(text.substr(0, slash));
    if (!header) return std::nullopt;
    if (slash == std::string_view::npos) return Canonicalization{*header, Canon::Simple};
    auto body = parse_canon(text.substr(slash + 1));
    if (!body) return std::nullopt;
    return Canonicalization{*header, *body};
}

std::string to_string(Canonicalization c) {
    std::string s(canon_name(c.header));
    s += '/';
    s += canon_name(c.body);
    return s;
}

void canonicalize_header(Canon canon, const HeaderField& field, std::string& out) {
    if (canon == Canon::Simple) {
        // Unchanged, except that a bare LF in a fold is the CRLF it stands for.
        const std::string_view raw = field.raw;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
            out += raw[i];
        }
        out += "\r\n";
        return;
    }
    for (char c : field.name) out += ascii_lower(c);
    out += ':';
    bool pending_space = false, wrote = false;
    const std::string_view v = field.value;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        // Unfold: drop the line ends of folds (a bare CR is data, as in dkimpy and OpenDKIM).
        if (c == '\n' || (c == '\r' && i + 1 < v.size() && v[i + 1] == '\n')) continue;
        if (is_wsp(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space && wrote) out += ' ';
        pending_space = false;
        wrote = true;
        out += c;
    }
    out += "\r\n";
}

void BodyCanonicalizer::data(char c, std::string& out) {
    for (; pending_lines_ > 0; --pending_lines_) out += "\r\n";
    if (pending_wsp_) out += ' ';
    pending_wsp_ = false;
    out += c;
    wrote_data_ = true;
}

void BodyCanonicalizer::update(std::string_view chunk, std::string& out) {
    for (char c : chunk) {
        if (pending_cr_) {
            pending_cr_ = false;
            if (c == '\n') {
                pending_wsp_ = false;  // relaxed: WSP at the end of a line is ignored
                ++pending_lines_;
                continue;
            }
            data('\r', out);  // a bare CR is ordinary data
        }
        if (c == '\r') {
            pending_cr_ = true;
        } else if (c == '\n') {
            pending_wsp_ = false;
            ++pending_lines_;
        } else if (canon_ == Canon::Relaxed && is_wsp(c)) {
            pending_wsp_ = true;
        } else {
            data(c, out);
        }
    }
}

void BodyCanonicalizer::finish(std::string& out) {
    if (pending_cr_) data('\r', out);
    pending_cr_ = false;
    // Trailing empty lines are dropped (§3.4.3, §3.4.4) and a missing final CRLF is added;
    // relaxed also drops WSP at the end of the last line, as at the end of any line.
    if (wrote_data_ || canon_ == Canon::Simple) out += "\r\n";
    pending_lines_ = 0;
    pending_wsp_ = false;
}

std::string canonicalize_body(Canon canon, std::string_view body) {
    BodyCanonicalizer c(canon);
    std::string out;
    c.update(body, out);
    c.finish(out);
    return out;
}

BodyHasher::BodyHasher(Canon canon, std::optional<std::uint64_t> limit)
    : canon_(canon), limit_(limit), ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw Error("SHA-256: {}", ossl_last_error());
}

void BodyHasher::hash(std::string_view canonical) {
    std::uint64_t take = canonical.size();
    if (limit_) take = length_ >= *limit_ ? 0 : std::min<std::uint64_t>(take, *limit_ - length_);
    length_ += canonical.size();
    if (take > 0 && EVP_DigestUpdate(ctx_.get(), canonical.data(), take) != 1)
        throw Error("SHA-256: {}", ossl_last_error());
}

void BodyHasher::update(std::string_view chunk) {
    buffer_.clear();
    canon_.update(chunk, buffer_);
    hash(buffer_);
}

BodyHash BodyHasher::finish() {
    buffer_.clear();
    canon_.finish(buffer_);
    hash(buffer_);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), md, &len) != 1)
        throw Error("SHA-256: {}", ossl_last_error());
    return BodyHash{std::string(reinterpret_cast<char*>(md), len), length_};
}

}  // namespace netius::crypto::dkim
