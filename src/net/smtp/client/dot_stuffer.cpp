#include "net/smtp/client/dot_stuffer.hpp"

namespace netius::net::smtp {

void DotStuffer::encode(std::string_view in, std::string& out) {
    out.reserve(out.size() + in.size() + in.size() / 64);
    while (!in.empty()) {
        if (pending_cr_) {
            out += "\r\n";  // CRLF, or a bare CR made into one
            if (in.front() == '\n') in.remove_prefix(1);
            pending_cr_ = false;
            line_start_ = true;
            continue;
        }
        if (line_start_ && in.front() == '.') out += '.';
        std::size_t k = in.find_first_of("\r\n");
        if (k == std::string_view::npos) {
            out.append(in);
            line_start_ = false;
            return;
        }
        out.append(in.substr(0, k));
        if (in[k] == '\n') {
            out += "\r\n";
            line_start_ = true;
        } else {
            pending_cr_ = true;
        }
        in.remove_prefix(k + 1);
    }
}

void DotStuffer::finish(std::string& out) {
    if (pending_cr_ || !line_start_) out += "\r\n";
    out += ".\r\n";
    pending_cr_ = false;
    line_start_ = true;
}

std::string dot_stuff(std::string_view content) {
    DotStuffer stuffer;
    std::string out;
    stuffer.encode(content, out);
    stuffer.finish(out);
    return out;
}

}  // namespace netius::net::smtp
