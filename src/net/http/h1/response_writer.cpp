#include "net/http/h1/response_writer.hpp"
#include "net/http/http_types.hpp"

#include <charconv>

namespace netius::net::http {

namespace {

void append_decimal(std::string& out, std::uint64_t v) {
    char buf[20];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ", 2);
    out.append(value);
    out.append("\r\n", 2);
}

}  // namespace

void append_head(std::string& out, const ResponseHead& head, std::string_view date) {
    const int status = code(head.status);
    Framing framing = head.framing;
    if (status < 200 || status == 204) framing = Framing::kNone;

    out.append("HTTP/1.1 ", 9);
    const char digits[3] = {static_cast<char>('0' + status / 100 % 10),
                            static_cast<char>('0' + status / 10 % 10),
                            static_cast<char>('0' + status % 10)};
    out.append(digits, 3);
    out.push_back(' ');
    out.append(head.reason.empty() ? reason_phrase(head.status) : head.reason);
    out.append("\r\n", 2);
    append_field(out, "Server", kServerName);
    append_field(out, "Date", date);
    for (const Header& h : head.headers) append_field(out, h.name, h.value);
    switch (framing) {
        case Framing::kLength:
            out.append("Content-Length: ", 16);
            append_decimal(out, head.content_length);
            out.append("\r\n", 2);
            break;
        case Framing::kChunked:
            append_field(out, "Transfer-Encoding", "chunked");
            break;
        case Framing::kClose:
        case Framing::kNone:
            break;
    }
    if (status >= 200) {  // informational responses carry no Connection decision
        if (!head.keep_alive || framing == Framing::kClose)
            append_field(out, "Connection", "close");
        else if (head.http10)
            append_field(out, "Connection", "keep-alive");
    }
    out.append("\r\n", 2);
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
