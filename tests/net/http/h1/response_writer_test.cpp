#include "net/http/h1/response_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/http/date_cache.hpp"

namespace netius::net::http {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";  // RFC 9110 §5.6.7
const Header kHelloType[] = {{"Content-Type", "text/plain; charset=utf-8"}};

ResponseHead hello_head() {
    ResponseHead h;
    h.headers = kHelloType;
    return h;
}

// netius' hello capture (netius-vectors.md §H) with our fixes: Date added, Server first,
// charset declared, no redundant "Connection: keep-alive" on HTTP/1.1.
TEST(ResponseWriter, HelloKeepAliveHttp11) {
    std::string out;
    append_response(out, hello_head(), "Hello World", false, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n\r\nHello World");
}

TEST(ResponseWriter, HelloHttp10CloseAndKeepAlive) {
    ResponseHead h = hello_head();
    h.http10 = true;
    h.keep_alive = false;
    std::string out;
    append_response(out, h, "Hello World", false, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n"
              "Connection: close\r\n\r\nHello World");
    h.keep_alive = true;  // `ab -k`: HTTP/1.0 with Connection: keep-alive must hear it back
    out.clear();
    append_response(out, h, "Hello World", false, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n"
              "Connection: keep-alive\r\n\r\nHello World");
}

// The head is gathered in a 512-byte stack buffer: fields that overflow it, one value longer
// than it and a head of many small fields all come out whole and in order.
TEST(ResponseWriter, HeadsLongerThanItsStagingBufferComeOutWhole) {
    const std::string long_value(3000, 'v');
    std::vector<std::string> names;
    for (int i = 0; i < 60; ++i) names.push_back("X-Field-" + std::to_string(i));
    std::vector<Header> fields;
    std::string expected_fields;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string_view value = i == 30 ? std::string_view(long_value) : "value";
        fields.push_back(Header{names[i], value});
        expected_fields += names[i] + ": " + std::string(value) + "\r\n";
    }
    ResponseHead h;
    h.headers = fields;
    std::string out = "previous bytes stay;";
    append_response(out, h, "body", false, kDate);
    EXPECT_EQ(out, "previous bytes stay;HTTP/1.1 200 OK\r\nServer: netius\r\nDate: " +
                       std::string(kDate) + "\r\n" + expected_fields +
                       "Content-Length: 4\r\n\r\nbody");
}

TEST(ResponseWriter, HeadHasLengthButNoBody) {
    std::string out;
    append_response(out, hello_head(), "Hello World", true, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\n\r\n");
}

TEST(ResponseWriter, PipelinedResponsesAppend) {
    std::string out;
    append_response(out, hello_head(), "A", false, kDate);
    ResponseHead last = hello_head();
    last.keep_alive = false;
    append_response(out, last, "B", false, kDate);
    const std::string one =
        "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n";
    EXPECT_EQ(out, one + "\r\nA" + one + "Connection: close\r\n\r\nB");
}

TEST(ResponseWriter, ChunkedFraming) {
    ResponseHead h = hello_head();
    h.framing = Framing::kChunked;
    std::string out;
    append_head(out, h, kDate);
    append_chunk(out, "Hello World");
    append_chunk(out, "");  // would end the body: must write nothing
    append_chunk(out, std::string(300, 'x'));
    append_last_chunk(out);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
              "b\r\nHello World\r\n12c\r\n" +
                  std::string(300, 'x') + "\r\n0\r\n\r\n");
}

TEST(ResponseWriter, CloseDelimitedAndBodylessStatuses) {
    ResponseHead h;
    h.framing = Framing::kClose;
    h.http10 = true;
    std::string out;
    append_head(out, h, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 200 OK\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Connection: close\r\n\r\n");

    ResponseHead nc;
    nc.status = Status::kNoContent;
    nc.content_length = 5;  // ignored: 204 never has Content-Length (RFC 9110 §8.6)
    out.clear();
    append_response(out, nc, "hello", false, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 204 No Content\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 "
              "GMT\r\n\r\n");

    ResponseHead nm;
    nm.status = Status::kNotModified;
    nm.content_length = 5;
    out.clear();
    append_head(out, nm, kDate);  // 304 may state the length of what it stands for
    EXPECT_EQ(out,
              "HTTP/1.1 304 Not Modified\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 "
              "GMT\r\nContent-Length: 5\r\n\r\n");
    out.clear();
    append_response(out, nm, "", false, kDate);  // no length of its own: no Content-Length: 0
    EXPECT_EQ(out,
              "HTTP/1.1 304 Not Modified\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 "
              "GMT\r\n\r\n");

    out.clear();
    append_continue(out);
    EXPECT_EQ(out, "HTTP/1.1 100 Continue\r\n\r\n");
}

TEST(ResponseWriter, ErrorResponseExactBytes) {
    std::string out;
    append_error(out, Status::kBadRequest, kDate);
    EXPECT_EQ(out,
              "HTTP/1.1 400 Bad Request\r\nServer: netius\r\nDate: Sun, 06 Nov 1994 08:49:37 "
              "GMT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\n"
              "Connection: close\r\n\r\n400 Bad Request\n");
}

TEST(ResponseWriter, EveryParserStatusHasAShortClosingError) {
    const std::pair<Status, std::string_view> statuses[] = {
        {Status::kBadRequest, "400 Bad Request\n"},
        {Status::kLengthRequired, "411 Length Required\n"},
        {Status::kContentTooLarge, "413 Content Too Large\n"},
        {Status::kUriTooLong, "414 URI Too Long\n"},
        {Status::kRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large\n"},
        {Status::kNotImplemented, "501 Not Implemented\n"},
        {Status::kHttpVersionNotSupported, "505 HTTP Version Not Supported\n"},
    };
    for (auto [status, body] : statuses) {
        std::string out;
        append_error(out, status, kDate);
        const std::string line = "HTTP/1.1 " + std::string(body.substr(0, body.size() - 1));
        EXPECT_EQ(out.substr(0, line.size() + 2), line + "\r\n");
        EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos) << line;
        EXPECT_NE(out.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"),
                  std::string::npos)
            << line;
        EXPECT_TRUE(out.ends_with(std::string("\r\n\r\n") + std::string(body))) << line;

        std::string head_only;
        append_error(head_only, status, kDate, true);
        EXPECT_EQ(head_only, out.substr(0, out.size() - body.size()));
    }
}

TEST(ResponseWriter, ReasonPhrases) {
    EXPECT_EQ(reason_phrase(Status::kOk), "OK");
    EXPECT_EQ(reason_phrase(Status::kNotFound), "Not Found");
    EXPECT_EQ(reason_phrase(Status::kRangeNotSatisfiable), "Range Not Satisfiable");
    EXPECT_EQ(reason_phrase(static_cast<Status>(599)), "Unknown");
    std::string out;
    ResponseHead h;
    h.status = static_cast<Status>(299);
    append_head(out, h, kDate);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 299 Unknown\r\n"));
    out.clear();
    h.reason = "Whatever it is";  // a caller's own phrase replaces the standard one
    append_head(out, h, kDate);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 299 Whatever it is\r\n"));
}

TEST(HttpDate, ImfFixdate) {
    const std::pair<std::time_t, std::string_view> dates[] = {
        {784111777, "Sun, 06 Nov 1994 08:49:37 GMT"},
        {0, "Thu, 01 Jan 1970 00:00:00 GMT"},
        {1577934245, "Thu, 02 Jan 2020 03:04:05 GMT"},
        {951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
        {1700000000, "Tue, 14 Nov 2023 22:13:20 GMT"},
        {4102444800, "Fri, 01 Jan 2100 00:00:00 GMT"},
    };
    for (auto [t, want] : dates) EXPECT_EQ(format_http_date(t), want) << t;
}

TEST(DateCache, ReformatsOnlyWhenTheSecondChanges) {
    DateCache cache;
    std::string_view a = cache.get(std::time_t{784111777});
    EXPECT_EQ(a, "Sun, 06 Nov 1994 08:49:37 GMT");
    const char* storage = a.data();
    EXPECT_EQ(cache.get(std::time_t{784111777}).data(), storage);  // same buffer, same text
    EXPECT_EQ(cache.get(std::time_t{784111778}), "Sun, 06 Nov 1994 08:49:38 GMT");
    using namespace std::chrono;
    auto tp = system_clock::time_point(seconds(1577934245)) + milliseconds(999);
    EXPECT_EQ(cache.get(tp), "Thu, 02 Jan 2020 03:04:05 GMT");  // the second, not rounded
}

}  // namespace
}  // namespace netius::net::http
