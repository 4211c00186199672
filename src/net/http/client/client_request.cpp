#include "net/http/client/client_request.hpp"

#include "crypto/encoding.hpp"
#include "net/http/char_class.hpp"

namespace netius::net::http {
namespace {

using detail::iequals;

// The user's field for `name`, if any (nullptr: none; an empty value: remove the default).
const std::pair<std::string, std::string>* user_field(const ClientRequest& r,
                                                      std::string_view name) {
    for (const auto& h : r.headers)
        if (iequals(h.first, name)) return &h;
    return nullptr;
}

// Calls f(name, value) for a default field unless the user replaced or removed it.
template <typename F>
void add_default(const F& f, const ClientRequest& r, std::string_view name,
                 std::string_view value) {
    if (!user_field(r, name) && !value.empty()) f(name, value);
}

// The message's framing is the client's to set, from the content it sends (RFC 9112 §6).
bool framing(std::string_view name) {
    return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding");
}

// RFC 9110 §8.6: a POST or PUT without content still says so; other methods only when they
// carry content.
template <typename F>
void add_content_length(const F& f, const ClientRequest& r) {
    if (r.upgrade) return;  // no content: what follows a 101 is the new protocol's
    if (r.upload) {
        if (const auto size = r.upload->size())
            f("Content-Length", std::to_string(*size));
        else
            f("Transfer-Encoding", "chunked");
        return;
    }
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT")
        f("Content-Length", std::to_string(r.body.size()));
}

// Calls f(name, value) for each of request_fields(r), in order, copying nothing.
template <typename F>
void for_each_field(const ClientRequest& r, const F& f) {
    if (r.exact_fields) {
        for (const auto& [name, value] : r.headers)
            if (!framing(name)) f(name, value);
        add_content_length(f, r);
        return;
    }
    add_default(f, r, "Host", r.url.authority());
    add_default(f, r, "User-Agent", r.user_agent);
    add_default(f, r, "Accept", "*/*");
    add_default(f, r, "Accept-Encoding", r.accept_encoding);
    if (r.send_credentials && r.url.has_userinfo)
        add_default(f, r, "Authorization",
                    "Basic " + crypto::base64_encode(r.url.user + ":" + r.url.password));
    for (const auto& [name, value] : r.headers)
        if (!value.empty() && !framing(name)) f(name, value);
    add_content_length(f, r);
}

}  // namespace

bool valid_field(std::string_view name, std::string_view value) noexcept {
    if (name.empty()) return false;
    for (char c : name)
        if (!detail::has_class(c, detail::kToken)) return false;
    for (char c : value)
        if (!detail::has_class(c, detail::kFieldChar)) return false;
    return true;
}

std::vector<std::pair<std::string, std::string>> request_fields(const ClientRequest& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for_each_field(r, [&out](std::string_view name, std::string_view value) {
        out.emplace_back(name, value);
    });
    return out;
}

void append_request(std::string& out, const ClientRequest& r) {
    std::size_t size = r.method.size() + r.url.target.size() + 64 + r.body.size();
    for (const auto& [name, value] : r.headers) size += name.size() + value.size() + 4;
    out.reserve(out.size() + size);
    out.append(r.method).append(" ").append(r.url.target).append(" HTTP/1.1\r\n");
    for_each_field(r, [&out](std::string_view name, std::string_view value) {
        out.append(name).append(": ").append(value).append("\r\n");
    });
    out.append("\r\n").append(r.body);
}

}  // namespace netius::net::http
