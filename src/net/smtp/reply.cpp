#include "net/smtp/reply.hpp"

#include <fmt/format.h>

namespace netius::net::smtp {

void append_reply(std::string& out, const Reply& r) {
    append_reply(out, r, {});
}

void append_reply(std::string& out, const Reply& r, std::string_view detail) {
    fmt::format_to(std::back_inserter(out), "{}", r.code);
    out += ' ';
    if (!r.enhanced.empty()) {
        out += r.enhanced;
        out += ' ';
    }
    out += r.text;
    if (!detail.empty()) {
        out += ' ';
        out += detail;
    }
    out += "\r\n";
}

void append_multiline(std::string& out, int code, const std::vector<std::string>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        fmt::format_to(std::back_inserter(out), "{}{}{}\r\n", code,
                       i + 1 < lines.size() ? '-' : ' ', lines[i]);
}

}  // namespace netius::net::smtp
