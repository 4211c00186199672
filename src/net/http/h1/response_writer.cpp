#include "net/http/h1/response_writer.hpp"
#include "net/http/http_types.hpp"

#include <charconv>
#include <cstring>

namespace netius::net::http {

namespace {

// Gathers a head's pieces in a stack buffer and appends them to `out` in one go when full and
// at flush(): a typical head is one std::string append instead of four per field line.
class HeadText {
  public:
    // buf_ is left uninitialised on purpose: only its first len_ bytes are ever read.
    // cppcheck-suppress uninitMemberVar
    explicit HeadText(std::string& out) noexcept : out_(out) {}
    HeadText(const HeadText&) = delete;
    HeadText& operator=(const HeadText&) = delete;

    void put(std::string_view s) {
        if (s.size() > sizeof buf_ - len_) {
            flush();
            if (s.size() > sizeof buf_) {  // a long value goes straight through
                out_.append(s);
                return;
            }
        }
        std::memcpy(buf_ + len_, s.data(), s.size());
        len_ += s.size();
    }
    void field(std::string_view name, std::string_view value) {
        put(name);
        put(": ");
        put(value);
        put("\r\n");
    }
    void decimal(std::uint64_t v) {
        char digits[20];
        auto r = std::to_chars(digits, digits + sizeof digits, v);
        put(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
    }
    void flush() {
        out_.append(buf_, len_);
        len_ = 0;
    }

  private:
    std::string& out_;
    std::size_t len_ = 0;
    char buf_[512];
};

}  // namespace

void append_head(std::string& out, const ResponseHead& head, std::string_view date) {
    const int status = code(head.status);
    Framing framing = head.framing;
    if (status < 200 || status == 204) framing = Framing::kNone;

    HeadText text(out);
    const char line[13] = {'H',
                           'T',
                           'T',
                           'P',
                           '/',
                           '1',
                           '.',
                           '1',
                           ' ',
                           static_cast<char>('0' + status / 100 % 10),
                           static_cast<char>('0' + status / 10 % 10),
                           static_cast<char>('0' + status % 10),
                           ' '};
    text.put(std::string_view(line, sizeof line));
    text.put(head.reason.empty() ? reason_phrase(head.status) : head.reason);
    text.put("\r\n");
    text.field("Server", kServerName);
    text.field("Date", date);
    for (const Header& h : head.headers) text.field(h.name, h.value);
    switch (framing) {
        case Framing::kLength:
            text.put("Content-Length: ");
            text.decimal(head.content_length);
            text.put("\r\n");
            break;
        case Framing::kChunked:
            text.field("Transfer-Encoding", "chunked");
            break;
        case Framing::kClose:
        case Framing::kNone:
            break;
    }
    if (status >= 200) {  // informational responses carry no Connection decision
        if (!head.keep_alive || framing == Framing::kClose)
            text.field("Connection", "close");
        else if (head.http10)
            text.field("Connection", "keep-alive");
    }
    text.put("\r\n");
    text.flush();
}

void append_response(std::string& out, ResponseHead head, std::string_view content,
                     bool head_request, std::string_view date) {
    // A 304's Content-Length would have to be the 200's (RFC 9110 §8.6), not its own 0.
    head.framing = head.status == Status::kNotModified ? Framing::kNone : Framing::kLength;
    head.content_length = content.size();
    append_head(out, head, date);
    if (!head_request && allows_content(head.status)) out.append(content);
}

void append_continue(std::string& out) {
    out.append("HTTP/1.1 100 Continue\r\n\r\n");
}

void append_chunk(std::string& out, std::string_view data) {
    if (data.empty()) return;
    char buf[16];
    auto r = std::to_chars(buf, buf + sizeof buf, data.size(), 16);
    out.append(buf, r.ptr);
    out.append("\r\n", 2);
    out.append(data);
    out.append("\r\n", 2);
}

void append_last_chunk(std::string& out) {
    out.append("0\r\n\r\n", 5);
}

void append_error(std::string& out, Status status, std::string_view date, bool head_request) {
    // "<code> <reason>\n": enough for a human with curl, nothing about our internals.
    std::string_view reason = reason_phrase(status);
    char body[64];
    std::size_t n = 0;
    const int c = code(status);
    body[n++] = static_cast<char>('0' + c / 100 % 10);
    body[n++] = static_cast<char>('0' + c / 10 % 10);
    body[n++] = static_cast<char>('0' + c % 10);
    body[n++] = ' ';
    for (char ch : reason.substr(0, sizeof body - n - 1)) body[n++] = ch;
    body[n++] = '\n';
    static constexpr Header kTextPlain[] = {{"Content-Type", "text/plain; charset=utf-8"}};
    ResponseHead head;
    head.status = status;
    head.headers = kTextPlain;
    head.keep_alive = false;
    append_response(out, head, std::string_view(body, n), head_request, date);
}

}  // namespace netius::net::http
