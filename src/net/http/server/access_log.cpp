#include "net/http/server/access_log.hpp"

#include <charconv>

namespace netius::net::http {
namespace {

void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end);
}

}  // namespace

void AccessLog::log(std::string_view client, const RequestHead& head, Status status,
                    std::uint64_t bytes, std::time_t now) {
    const std::string_view stamp = file_.stamp(now);  // "[24/Nov/2026:18:00:00 +0000]"
    std::string& o = file_.pending();
    append_escaped_field(o, client.empty() ? "-" : client);
    o += " - - ";
    o += stamp;
    o += " \"";
    append_escaped_field(o, head.method);
    o += ' ';
    append_escaped_field(o, head.target);
    o += head.version == Version::kHttp10  ? " HTTP/1.0\" "
         : head.version == Version::kHttp2 ? " HTTP/2.0\" "
                                           : " HTTP/1.1\" ";
    append_number(o, static_cast<std::uint64_t>(code(status)));
    o += ' ';
    append_number(o, bytes);
    for (std::string_view field : {"Referer", "User-Agent"}) {
        o += " \"";
        auto value = head.get(field);
        append_escaped_field(o, value ? *value : "-");
        o += '"';
    }
    o += '\n';
    file_.written();
}

}  // namespace netius::net::http
