#include "net/smtp/data_decoder.hpp"

#include <cstring>

namespace netius::net::smtp {

void DataDecoder::reset(std::uint64_t max_bytes) {
    max_ = max_bytes;
    size_ = 0;
    state_ = State::kLineStart;
}

void DataDecoder::emit(std::string& out, std::string_view bytes) {
    if (size_ < max_) {
        const std::uint64_t room = max_ - size_;
        out.append(
            bytes.substr(0, room < bytes.size() ? static_cast<std::size_t>(room) : bytes.size()));
    }
    size_ += bytes.size();
}

DataDecoder::Step DataDecoder::decode(std::string_view in, std::string& out) {
    std::size_t i = 0;
    while (i < in.size()) {
        const char c = in[i];
        switch (state_) {
            case State::kText: {  // the common case: copy up to the next CR in one go
                const void* cr = std::memchr(in.data() + i, '\r', in.size() - i);
                const std::size_t end =
                    cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - in.data())
                       : in.size();
                emit(out, in.substr(i, end - i));
                i = end;
                if (cr) {
                    emit(out, "\r");
                    state_ = State::kCr;
                    ++i;
                }
                continue;
            }
            case State::kCr:
                emit(out, std::string_view(&in[i], 1));
                state_ = c == '\n' ? State::kLineStart : c == '\r' ? State::kCr : State::kText;
                break;
            case State::kLineStart:
                if (c == '.') {
                    state_ = State::kDot;  // held back: a terminator or a stuffed dot
                } else {
                    emit(out, std::string_view(&in[i], 1));
                    state_ = c == '\r' ? State::kCr : State::kText;
                }
                break;
            case State::kDot:
                if (c == '\r') {
                    state_ = State::kDotCr;
                } else {  // the leading dot is removed (§4.5.2), the rest is content
                    emit(out, std::string_view(&in[i], 1));
                    state_ = State::kText;
                }
                break;
            case State::kDotCr:
                if (c == '\n') {
                    state_ = State::kLineStart;
                    return Step{i + 1, true};
                }
                emit(out, "\r");  // ".\r" + something else: a line starting with a dot
                state_ = State::kCr;
                continue;  // `c` again, now after a CR
        }
        ++i;
    }
    return Step{in.size(), false};
}

}  // namespace netius::net::smtp
