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
                    std::uint64_t bytes, std::time_t now, std::string_view extra) {
    append(client, head.method, head.target, head.version, status, bytes,
           head.get("Referer").value_or("-"), head.get("User-Agent").value_or("-"), now, extra);
}

void AccessLog::log(const AccessEntry& e, std::uint64_t bytes, std::time_t now) {
    append(e.client, e.method, e.target, e.version, e.status, bytes, e.referer, e.user_agent, now,
           e.extra);
}

AccessEntry AccessLog::entry(std::string_view client, const RequestHead& head, Status status,
                             std::string_view extra) {
    return AccessEntry{std::string(client),
                       std::string(head.method),
                       std::string(head.target),
                       std::string(head.get("Referer").value_or("-")),
                       std::string(head.get("User-Agent").value_or("-")),
                       std::string(extra),
                       head.version,
                       status};
}

void AccessLog::append(std::string_view client, std::string_view method, std::string_view target,
                       Version version, Status status, std::uint64_t bytes,
                       std::string_view referer, std::string_view user_agent, std::time_t now,
                       std::string_view extra) {
    const std::string_view stamp = file_.stamp(now);  // "[24/Nov/2026:18:00:00 +0000]"
    std::string& o = file_.pending();
    append_escaped_field(o, client.empty() ? "-" : client);
    o += " - - ";
    o += stamp;
    o += " \"";
    append_escaped_field(o, method);
    o += ' ';
    append_escaped_field(o, target);
    o += version == Version::kHttp10  ? " HTTP/1.0\" "
         : version == Version::kHttp2 ? " HTTP/2.0\" "
                                      : " HTTP/1.1\" ";
    append_number(o, static_cast<std::uint64_t>(code(status)));
    o += ' ';
    append_number(o, bytes);
    for (std::string_view field : {referer, user_agent}) {
        o += " \"";
        append_escaped_field(o, field);
        o += '"';
    }
    if (!extra.empty()) {  // the handler's own text, escaped all the same
        o += ' ';
        append_escaped_field(o, extra);
    }
    o += '\n';
    file_.written();
}

}  // namespace netius::net::http
