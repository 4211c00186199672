#include "net/http/h1/chunked_decoder.hpp"

#include <algorithm>

#include "net/http/char_class.hpp"

namespace netius::net::http {

namespace {
using detail::has_class;
constexpr std::size_t kMaxSizeDigits = 16;  // 64 bits; leading zeros count too
}  // namespace

void ChunkedDecoder::reset() noexcept {
    state_ = State::kSize;
    size_ = decoded_ = 0;
    line_bytes_ = trailer_bytes_ = 0;
}

ChunkedStep ChunkedDecoder::fail(std::size_t consumed, Status status,
                                 std::string_view reason) noexcept {
    state_ = State::kFailed;
    error_ = ParseError{status, reason};
    ChunkedStep step;
    step.consumed = consumed;
    step.error = error_;
    return step;
}

ChunkedStep ChunkedDecoder::decode(std::string_view input) noexcept {
    if (state_ == State::kDone) return ChunkedStep{0, {}, true, std::nullopt};
    if (state_ == State::kFailed) return ChunkedStep{0, {}, false, error_};
    const char* p = input.data();
    const std::size_t n = input.size();
    std::size_t i = 0;
    while (i < n) {
        const char c = p[i];
        const bool in_trailer = state_ >= State::kTrailerStart && state_ <= State::kEndLf;
        if (in_trailer && ++trailer_bytes_ > limits_->max_trailer_bytes)
            return fail(i, Status::kRequestHeaderFieldsTooLarge, "trailer section too large");
        switch (state_) {
            case State::kSize:
            case State::kSizeMore: {
                const int v = detail::hex_value(c);
                if (v >= 0) {
                    if (++line_bytes_ > kMaxSizeDigits)
                        return fail(i, Status::kBadRequest, "chunk size too long");
                    size_ = size_ * 16 + static_cast<std::uint64_t>(v);
                    if (size_ > limits_->body_limit() - decoded_)
                        return fail(i, Status::kContentTooLarge, "content too large");
                    state_ = State::kSizeMore;
                    ++i;
                    break;
                }
                if (state_ == State::kSize)
                    return fail(i, Status::kBadRequest, "invalid chunk size");
                line_bytes_ = 0;  // from here on: extension bytes
                state_ = State::kSizeBws;
                [[fallthrough]];
            }
            case State::kSizeBws:  // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
                if (c == ' ' || c == '\t' || c == ';') {
                    if (c == ';') state_ = State::kExtension;
                } else if (c == '\r' && state_ == State::kSizeBws && line_bytes_ == 0) {
                    state_ = State::kSizeLf;
                } else {
                    return fail(i, Status::kBadRequest,
                                c == '\n' ? "bare LF" : "invalid chunk size line");
                }
                if (c != '\r' && ++line_bytes_ > limits_->max_chunk_extension_bytes)
                    return fail(i, Status::kBadRequest, "chunk extension too long");
                ++i;
                break;
            case State::kExtension:  // ignored, only checked for line breaks and CTLs
                if (c == '\r') {
                    state_ = State::kSizeLf;
                } else if (!has_class(c, detail::kFieldChar)) {
                    return fail(i, Status::kBadRequest,
                                c == '\n' ? "bare LF" : "invalid chunk extension");
                } else if (++line_bytes_ > limits_->max_chunk_extension_bytes) {
                    return fail(i, Status::kBadRequest, "chunk extension too long");
                }
                ++i;
                break;
            case State::kSizeLf:
                if (c != '\n') return fail(i, Status::kBadRequest, "bare CR");
                state_ = size_ == 0 ? State::kTrailerStart : State::kData;
                line_bytes_ = 0;
                ++i;
                break;
            case State::kData: {
                const std::size_t take =
                    static_cast<std::size_t>(std::min<std::uint64_t>(size_, n - i));
                ChunkedStep step;
                step.data = input.substr(i, take);
                size_ -= take;
                decoded_ += take;
                if (size_ == 0) state_ = State::kDataCr;
                step.consumed = i + take;
                return step;
            }
            case State::kDataCr:
                if (c != '\r') return fail(i, Status::kBadRequest, "missing CRLF after chunk data");
                state_ = State::kDataLf;
                ++i;
                break;
            case State::kDataLf:
                if (c != '\n') return fail(i, Status::kBadRequest, "bare CR");
                state_ = State::kSize;
                ++i;
                break;
            case State::kTrailerStart:
                if (c == '\r') {
                    state_ = State::kEndLf;
                } else if (c == ' ' || c == '\t') {
                    return fail(i, Status::kBadRequest, "obs-fold");
                } else if (!has_class(c, detail::kToken)) {
                    return fail(i, Status::kBadRequest,
                                c == '\n' ? "bare LF" : "invalid trailer field name");
                } else {
                    state_ = State::kTrailerName;
                }
                ++i;
                break;
            case State::kTrailerName:
                if (c == ':') {
                    state_ = State::kTrailerValue;
                } else if (!has_class(c, detail::kToken)) {
                    return fail(i, Status::kBadRequest,
                                c == ' ' || c == '\t' ? "whitespace before colon"
                                                      : "invalid trailer field name");
                }
                ++i;
                break;
            case State::kTrailerValue:
                if (c == '\r') {
                    state_ = State::kTrailerLf;
                } else if (!has_class(c, detail::kFieldChar)) {
                    return fail(i, Status::kBadRequest,
                                c == '\n' ? "bare LF" : "invalid character in field value");
                }
                ++i;
                break;
            case State::kTrailerLf:
                if (c != '\n') return fail(i, Status::kBadRequest, "bare CR");
                state_ = State::kTrailerStart;
                ++i;
                break;
            case State::kEndLf:
                if (c != '\n') return fail(i, Status::kBadRequest, "bare CR");
                state_ = State::kDone;
                return ChunkedStep{i + 1, {}, true, std::nullopt};
            case State::kDone:
            case State::kFailed:
                break;  // handled before the loop
        }
    }
    return ChunkedStep{i, {}, false, std::nullopt};
}

}  // namespace netius::net::http
