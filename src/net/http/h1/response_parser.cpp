#include "net/http/h1/response_parser.hpp"

#include <algorithm>
#include <limits>

#include "net/http/char_class.hpp"

namespace netius::net::http {
namespace {

using detail::has_class;
using detail::iequals;

constexpr std::string_view kHttpName = "HTTP/";

std::uint32_t at(std::size_t n) {
    return static_cast<std::uint32_t>(n);
}

// Content-Length = 1*DIGIT (RFC 9110 §8.6); false when empty, not digits, or over 2^64-1.
bool parse_length(std::string_view v, std::uint64_t& out) {
    if (v.empty()) return false;
    std::uint64_t n = 0;
    for (char c : v) {
        if (!is_ascii_digit(c)) return false;
        auto d = static_cast<std::uint64_t>(c - '0');
        if (n > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        n = n * 10 + d;
    }
    out = n;
    return true;
}

}  // namespace

std::optional<std::string_view> ClientResponseHead::get(std::string_view name) const noexcept {
    for (const Header& h : headers)
        if (iequals(h.name, name)) return h.value;
    return std::nullopt;
}

bool ClientResponseHead::has_token(std::string_view name, std::string_view token) const noexcept {
    bool found = false;
    for (const Header& h : headers)
        if (iequals(h.name, name))
            for_each_list_element(h.value, [&](std::string_view e) { found |= iequals(e, token); });
    return found;
}

void ClientResponseHead::clear() noexcept {
    version = Version::kHttp11;
    status = 0;
    reason = {};
    headers.clear();
    content_length.reset();
    transfer_encoding = chunked = false;
    keep_alive = true;
}

BodyFraming body_framing(const ClientResponseHead& head, bool head_request) noexcept {
    // RFC 9112 §6.3 rules 1-2 and RFC 9110 §6.4.1: no content, whatever the fields say.
    if (head_request || head.status < 200 || head.status == 204 || head.status == 304)
        return BodyFraming::kNone;
    if (head.transfer_encoding)  // rules 3-4
        return head.chunked ? BodyFraming::kChunked : BodyFraming::kUntilClose;
    return head.content_length ? BodyFraming::kLength : BodyFraming::kUntilClose;  // 6, 8
}

void ResponseParser::reset() noexcept {
    state_ = State::kStart;
    pos_ = 0;
    start_ = code_ = reason_ = reason_end_ = 0;
    fields_.clear();
}

ParseResult ResponseParser::fail(std::string_view reason) noexcept {
    state_ = State::kFailed;
    error_ = ParseError{Status::kBadGateway, reason};
    return error_;
}

ParseResult ResponseParser::parse(std::string_view input, ClientResponseHead& out) {
    if (state_ == State::kDone) return Complete{pos_};
    if (state_ == State::kFailed) return error_;
    const char* p = input.data();
    const std::size_t limit = std::min(input.size(), limits_->max_head_bytes);
    std::size_t i = pos_;
    while (i < limit) {
        const char c = p[i];
        switch (state_) {
            case State::kStart:  // empty lines left over from the previous response
                if (c == '\r' || c == '\n') {
                    state_ = c == '\r' ? State::kStartLf : State::kStart;
                    ++i;
                    break;
                }
                start_ = at(i);
                state_ = State::kVersion;
                break;
            case State::kStartLf:
                if (c != '\n') return fail("bare CR");
                state_ = State::kStart;
                ++i;
                break;
            case State::kVersion: {  // HTTP-version SP (RFC 9112 §2.3, §4)
                const std::size_t k = i - start_;
                const bool ok = k < 5    ? c == kHttpName[k]
                                : k == 6 ? c == '.'
                                : k == 8 ? c == ' '
                                         : is_ascii_digit(c);
                if (!ok) return fail("invalid status line");
                if (k == 8) {
                    code_ = at(i + 1);
                    state_ = State::kCode;
                }
                ++i;
                break;
            }
            case State::kCode:  // 3DIGIT
                if (i - code_ == 3) {
                    state_ = State::kAfterCode;
                    break;
                }
                if (!is_ascii_digit(c) || (i == code_ && c == '0'))
                    return fail("invalid status code");
                ++i;
                break;
            case State::kAfterCode:  // SP [ reason-phrase ], or the line ends at once
                if (c != ' ' && c != '\r' && c != '\n') return fail("invalid status code");
                if (c == ' ') ++i;
                reason_ = reason_end_ = at(i);
                state_ = State::kReason;
                break;
            case State::kReason:
                for (; i < limit && has_class(p[i], detail::kFieldChar); ++i)
                    if (p[i] != ' ' && p[i] != '\t') reason_end_ = at(i + 1);
                if (i == limit) break;
                if (p[i] != '\r' && p[i] != '\n')
                    return fail("invalid character in the reason phrase");
                state_ = p[i] == '\r' ? State::kLineLf : State::kFieldStart;
                ++i;
                break;
            case State::kLineLf:
                if (c != '\n') return fail("bare CR");
                state_ = State::kFieldStart;
                ++i;
                break;
            case State::kFieldStart:
                if (c == '\r') {
                    state_ = State::kHeadEndLf;
                    ++i;
                    break;
                }
                if (c == '\n') {
                    pos_ = i + 1;
                    return finish(input, out);
                }
                if (c == ' ' || c == '\t')  // RFC 9112 §5.2, §2.2
                    return fail(fields_.empty() ? "whitespace before the first field" : "obs-fold");
                if (!has_class(c, detail::kToken)) return fail("invalid field name");
                if (fields_.size() >= limits_->max_header_count)
                    return fail("too many header fields");
                fields_.begin(at(i), limits_->max_header_count);
                state_ = State::kField;
                break;
            case State::kField: {
                std::string_view error;
                const auto scan = fields_.scan(p, i, limit, error);
                if (scan == detail::FieldLines::Scan::kMore) break;
                if (scan == detail::FieldLines::Scan::kError) return fail(error);
                state_ = p[i] == '\r' ? State::kLineLf : State::kFieldStart;
                ++i;
                break;
            }
            case State::kHeadEndLf:
                if (c != '\n') return fail("bare CR");
                pos_ = i + 1;
                return finish(input, out);
            case State::kDone:
            case State::kFailed:
                break;  // handled before the loop
        }
    }
    pos_ = i;
    if (input.size() > limits_->max_head_bytes) return fail("response head too large");
    return Incomplete{};
}

ParseResult ResponseParser::finish(std::string_view input, ClientResponseHead& out) {
    const char* p = input.data();
    out.clear();
    if (p[start_ + 5] != '1') return fail("unsupported HTTP version");
    out.version = p[start_ + 7] == '0' ? Version::kHttp10 : Version::kHttp11;
    out.status = (p[code_] - '0') * 100 + (p[code_ + 1] - '0') * 10 + (p[code_ + 2] - '0');
    out.reason = std::string_view(p + reason_, reason_end_ - reason_);
    bool close = false, keep_alive = false, bad_length = false, has_length = false;
    out.headers.reserve(fields_.size());
    for (const detail::FieldLines::Span& f : fields_.spans()) {
        const Header h{std::string_view(p + f.name, f.name_len),
                       std::string_view(p + f.value, f.value_len)};
        out.headers.push_back(h);
        if (iequals(h.name, "content-length")) {
            // RFC 9110 §8.6: the same value repeated (also as a list) is one length.
            bool any = false;
            has_length = true;
            for_each_list_element(h.value, [&](std::string_view e) {
                std::uint64_t n = 0;
                any = true;
                if (!parse_length(e, n) || (out.content_length && *out.content_length != n))
                    bad_length = true;
                else
                    out.content_length = n;
            });
            bad_length |= !any;
        } else if (iequals(h.name, "transfer-encoding")) {
            out.transfer_encoding = true;
            // The codings of all lines form one list; chunked counts only as the last one.
            for_each_list_element(h.value,
                                  [&](std::string_view e) { out.chunked = iequals(e, "chunked"); });
        } else if (iequals(h.name, "connection")) {
            for_each_list_element(h.value, [&](std::string_view e) {
                close |= iequals(e, "close");
                keep_alive |= iequals(e, "keep-alive");
            });
        }
    }
    if (out.transfer_encoding) {
        // §6.3 rule 3: Transfer-Encoding overrides Content-Length, and such a response may be
        // an attempt at smuggling: the connection is not reused.
        out.content_length.reset();
        close |= has_length;
    } else if (bad_length) {
        return fail("invalid Content-Length");
    }
    out.keep_alive = !close && (out.version == Version::kHttp11 || keep_alive);
    state_ = State::kDone;
    return Complete{pos_};
}

}  // namespace netius::net::http
