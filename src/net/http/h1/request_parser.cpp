#include "net/http/h1/request_parser.hpp"

#include <algorithm>
#include <limits>

#include "net/http/char_class.hpp"
#include "net/http/request_target.hpp"

namespace netius::net::http {

namespace {

using detail::has_class;
using detail::iequals;

constexpr std::string_view kHttpName = "HTTP/";
constexpr std::size_t kVersionBytes = 8;  // "HTTP/1.1"

// Whether p[0, kVersionBytes) is "HTTP/" DIGIT "." DIGIT.
bool valid_version(const char* p) noexcept {
    return std::string_view(p, kHttpName.size()) == kHttpName && is_ascii_digit(p[5]) &&
           p[6] == '.' && is_ascii_digit(p[7]);
}

// Content-Length = 1*DIGIT (RFC 9110 §8.6); false when empty, not digits, or over 2^64-1.
bool parse_content_length(std::string_view v, std::uint64_t& out) {
    if (v.empty()) return false;
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return false;
        auto d = static_cast<std::uint64_t>(c - '0');
        if (n > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        n = n * 10 + d;
    }
    out = n;
    return true;
}

// What the framing and connection fields of a head say, gathered in one pass.
struct FieldFacts {
    int host_count = 0;
    std::string_view host;
    bool has_length = false, length_invalid = false, length_conflict = false;
    std::uint64_t length = 0;
    bool has_te = false, te_unknown = false, te_chunked_twice = false;
    int te_elements = 0;
    bool close = false, keep_alive = false, upgrade = false, expect_continue = false;

    void add(const Header& h) {
        std::string_view n = h.name;
        switch (n.size()) {  // dispatch on length first: most fields match none of these
            case 4:
                if (iequals(n, "host")) ++host_count, host = h.value;
                break;
            case 6:
                if (iequals(n, "expect"))
                    for_each_list_element(h.value, [&](std::string_view e) {
                        if (iequals(e, "100-continue")) expect_continue = true;
                    });
                break;
            case 10:
                if (iequals(n, "connection"))
                    for_each_list_element(h.value, [&](std::string_view e) {
                        if (iequals(e, "close"))
                            close = true;
                        else if (iequals(e, "keep-alive"))
                            keep_alive = true;
                        else if (iequals(e, "upgrade"))
                            upgrade = true;
                    });
                break;
            case 14:
                if (iequals(n, "content-length")) add_length(h.value);
                break;
            case 17:
                if (iequals(n, "transfer-encoding")) add_codings(h.value);
                break;
            default:
                break;
        }
    }

    void add_length(std::string_view v) {
        std::uint64_t n = 0;
        if (!parse_content_length(v, n))
            length_invalid = true;
        else if (has_length && n != length)
            length_conflict = true;
        has_length = true;
        length = n;
    }

    // Transfer-Encoding lines form one list (RFC 9110 §5.3); only chunked is implemented.
    void add_codings(std::string_view v) {
        has_te = true;
        for_each_list_element(v, [&](std::string_view e) {
            ++te_elements;
            if (!iequals(e, "chunked"))
                te_unknown = true;
            else if (te_elements > 1)
                te_chunked_twice = true;
        });
    }
};

}  // namespace

void RequestParser::reset() noexcept {
    state_ = State::kStart;
    pos_ = 0;
    method_ = target_ = target_end_ = version_ = 0;
    fields_.clear();
}

ParseResult RequestParser::fail(Status status, std::string_view reason) noexcept {
    state_ = State::kFailed;
    error_ = ParseError{status, reason};
    return error_;
}

ParseResult RequestParser::parse(std::string_view input, RequestHead& out) {
    if (state_ == State::kDone) return Complete{pos_};
    if (state_ == State::kFailed) return error_;
    const char* p = input.data();
    const std::size_t limit = std::min(input.size(), limits_->max_head_bytes);
    std::size_t i = pos_;
    auto at = [](std::size_t n) { return static_cast<std::uint32_t>(n); };
    while (i < limit) {
        switch (state_) {
            case State::kStart:  // RFC 9112 §2.2: empty lines before the request line
                if (p[i] == '\r') {
                    state_ = State::kStartLf;
                    ++i;
                    break;
                }
                if (p[i] == '\n') return fail(Status::kBadRequest, "bare LF");
                method_ = at(i);
                state_ = State::kMethod;
                break;
            case State::kStartLf:
                if (p[i] != '\n') return fail(Status::kBadRequest, "bare CR");
                state_ = State::kStart;
                ++i;
                break;
            case State::kMethod:
                while (i < limit && has_class(p[i], detail::kToken)) ++i;
                if (i - method_ > kMaxMethodBytes)
                    return fail(Status::kBadRequest, "method too long");
                if (i == limit) break;
                if (p[i] != ' ' || i == method_) return fail(Status::kBadRequest, "invalid method");
                target_ = at(++i);
                state_ = State::kTarget;
                break;
            case State::kTarget: {
                const std::size_t room = limits_->max_target_bytes;  // any size_t, no overflow
                const std::size_t stop = room < limit - target_ ? target_ + room : limit;
                while (i < stop && has_class(p[i], detail::kTargetChar)) ++i;
                if (i == limit) break;
                if (has_class(p[i], detail::kTargetChar))  // i == stop: one byte over the limit
                    return fail(Status::kUriTooLong, "request target too long");
                if (p[i] != ' ' || i == target_)
                    return fail(Status::kBadRequest, "invalid request target");
                target_end_ = at(i);
                version_ = at(++i);
                state_ = State::kVersion;
                break;
            }
            case State::kVersion: {  // HTTP-version = "HTTP/" DIGIT "." DIGIT (§2.3)
                if (i == version_ && limit - i > kVersionBytes && valid_version(p + i) &&
                    p[i + kVersionBytes] == '\r') {  // the whole version at once
                    i += kVersionBytes + 1;
                    state_ = State::kRequestLineLf;
                    break;
                }
                const std::size_t k = i - version_;
                const char c = p[i];
                if (k == kVersionBytes) {
                    if (c != '\r')
                        return fail(Status::kBadRequest,
                                    c == '\n' ? "bare LF" : "invalid HTTP version");
                    state_ = State::kRequestLineLf;
                } else if (k < 5 ? c != kHttpName[k] : k == 6 ? c != '.' : !is_ascii_digit(c)) {
                    return fail(Status::kBadRequest, "invalid HTTP version");
                }
                ++i;
                break;
            }
            case State::kRequestLineLf:
            case State::kValueLf:
                if (p[i] != '\n') return fail(Status::kBadRequest, "bare CR");
                state_ = State::kFieldStart;
                ++i;
                break;
            case State::kFieldStart: {
                const char c = p[i];
                if (c == '\r') {
                    state_ = State::kHeadEndLf;
                    ++i;
                    break;
                }
                if (c == '\n') return fail(Status::kBadRequest, "bare LF");
                if (c == ' ' || c == '\t')  // §5.2 obs-fold; §2.2 space after the start line
                    return fail(Status::kBadRequest,
                                fields_.empty() ? "whitespace before the first field" : "obs-fold");
                if (!has_class(c, detail::kToken))
                    return fail(Status::kBadRequest, "invalid field name");
                if (fields_.size() >= limits_->max_header_count)
                    return fail(Status::kRequestHeaderFieldsTooLarge, "too many header fields");
                fields_.begin(at(i), limits_->max_header_count);
                state_ = State::kField;
                break;
            }
            case State::kField: {
                std::string_view error;
                const auto scan = fields_.scan(p, i, limit, error);
                if (scan == detail::FieldLines::Scan::kMore) break;
                if (scan == detail::FieldLines::Scan::kError)
                    return fail(Status::kBadRequest, error);
                if (p[i] == '\n') return fail(Status::kBadRequest, "bare LF");
                if (i + 1 < limit && p[i + 1] == '\n') {  // CRLF at once: the next line
                    i += 2;
                    state_ = State::kFieldStart;
                    break;
                }
                state_ = State::kValueLf;
                ++i;
                break;
            }
            case State::kHeadEndLf:
                if (p[i] != '\n') return fail(Status::kBadRequest, "bare CR");
                pos_ = i + 1;
                return finish(input, out);
            case State::kDone:
            case State::kFailed:
                break;  // handled before the loop
        }
    }
    pos_ = i;
    if (input.size() > limits_->max_head_bytes)
        return fail(Status::kRequestHeaderFieldsTooLarge, "request head too large");
    return Incomplete{};
}

ParseResult RequestParser::finish(std::string_view input, RequestHead& out) {
    const char* p = input.data();
    out.clear();
    out.method = std::string_view(p + method_, target_ - 1 - method_);
    out.target = std::string_view(p + target_, target_end_ - target_);
    if (p[version_ + 5] != '1')
        return fail(Status::kHttpVersionNotSupported, "unsupported HTTP version");
    out.version = p[version_ + 7] == '0' ? Version::kHttp10 : Version::kHttp11;
    if (!parse_request_target(out.method, out.target, out))
        return fail(Status::kBadRequest, "invalid request target");

    FieldFacts facts;
    out.headers.reserve(fields_.size());
    for (const detail::FieldLines::Span& f : fields_.spans()) {
        out.headers.push_back(Header{std::string_view(p + f.name, f.name_len),
                                     std::string_view(p + f.value, f.value_len)});
        facts.add(out.headers.back());
    }
    const bool http11 = out.version == Version::kHttp11;
    // RFC 9112 §3.2: exactly one valid Host on HTTP/1.1, at most one on HTTP/1.0.
    if (facts.host_count > 1) return fail(Status::kBadRequest, "multiple Host fields");
    if (facts.host_count == 0 && http11) return fail(Status::kBadRequest, "missing Host");
    if (!facts.host.empty() && !valid_authority(facts.host, false))
        return fail(Status::kBadRequest, "invalid Host");
    // RFC 9112 §6.3: framing must be unambiguous, or requests can be smuggled past a proxy.
    if (facts.length_invalid) return fail(Status::kBadRequest, "invalid Content-Length");
    if (facts.length_conflict) return fail(Status::kBadRequest, "conflicting Content-Length");
    if (facts.has_te) {
        if (!http11) return fail(Status::kBadRequest, "Transfer-Encoding in HTTP/1.0");
        if (facts.has_length)
            return fail(Status::kBadRequest, "Content-Length with Transfer-Encoding");
        if (facts.te_elements == 0) return fail(Status::kBadRequest, "empty Transfer-Encoding");
        if (facts.te_unknown) return fail(Status::kNotImplemented, "unsupported transfer coding");
        if (facts.te_chunked_twice) return fail(Status::kBadRequest, "chunked applied twice");
    }
    if (!facts.has_length && !facts.has_te && out.method == "PUT")
        return fail(Status::kLengthRequired, "PUT without a length");
    if (facts.has_length && facts.length > limits_->body_limit())
        return fail(Status::kContentTooLarge, "content too large");

    if (facts.has_length) out.content_length = facts.length;
    out.chunked = facts.has_te;
    // §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only when it asked for keep-alive.
    out.keep_alive = !facts.close && (http11 || facts.keep_alive);
    out.expect_continue = http11 && facts.expect_continue;  // RFC 9110 §10.1.1
    out.upgrade = facts.upgrade;
    out.host = out.form == TargetForm::kAbsolute ? out.authority : facts.host;
    state_ = State::kDone;
    return Complete{pos_};
}

ParseResult parse_request_head(std::string_view input, const Limits& limits, RequestHead& out) {
    RequestParser parser(limits);
    return parser.parse(input, out);
}

}  // namespace netius::net::http
