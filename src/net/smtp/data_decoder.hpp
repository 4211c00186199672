#pragma once
// DataDecoder — the message content after DATA (RFC 5321 §4.1.1.4, §4.5.2), as a streaming,
// pure state machine: feed it the input in any pieces; it appends the unstuffed content to
// the caller's string and says when the end-of-data indication was seen.
//
//   - Only <CRLF>.<CRLF> ends the content (the CRLF before the dot belongs to the content;
//     at the very start a lone ".<CRLF>" is an empty message). "\n.\n", "\r.\r", "\n.\r\n"
//     and friends are content, never an end: no SMTP smuggling (CVE-2023-51764).
//   - A line is what CRLF ends. A line starting with "." loses that dot (dot-unstuffing);
//     "." after a bare LF or bare CR is not at a line start and is kept.
//   - Content beyond `max_bytes` is counted but not stored (overflow()), so a client that
//     ignores SIZE is answered 552 after its terminator, with bounded memory.
// Any thread; one decoder per message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netius::net::smtp {

class DataDecoder {
  public:
    explicit DataDecoder(std::uint64_t max_bytes = UINT64_MAX) : max_(max_bytes) {}

    struct Step {
        std::size_t consumed;  // bytes of `in` used; all of them unless `done`
        bool done;             // the terminator was the last consumed bytes
    };

    /// Decodes from `in`, appending content to `out` (which should hold only this message's
    /// content: its size is what the limit is checked against). After `done`, the bytes of
    /// `in` past `consumed` are the next command (pipelining).
    Step decode(std::string_view in, std::string& out);

    /// Content bytes seen so far (stored or not).
    std::uint64_t size() const { return size_; }
    /// More than max_bytes of content: `out` holds only the first max_bytes.
    bool overflow() const { return size_ > max_; }
    /// Ready for a new message with a new limit.
    void reset(std::uint64_t max_bytes);

  private:
    enum class State { kLineStart, kDot, kDotCr, kText, kCr };
    void emit(std::string& out, std::string_view bytes);

    std::uint64_t max_;
    std::uint64_t size_ = 0;
    State state_ = State::kLineStart;
};

}  // namespace netius::net::smtp
