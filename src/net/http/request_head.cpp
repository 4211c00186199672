#include "net/http/request_head.hpp"

#include "net/http/char_class.hpp"

namespace netius::net::http {

std::optional<std::string_view> RequestHead::get(std::string_view name) const noexcept {
    for (const Header& h : headers)
        if (detail::iequals(h.name, name)) return h.value;
    return std::nullopt;
}

bool RequestHead::has_token(std::string_view name, std::string_view token) const noexcept {
    bool found = false;
    for (const Header& h : headers) {
        if (!detail::iequals(h.name, name)) continue;
        for_each_list_element(h.value, [&](std::string_view e) {
            if (detail::iequals(e, token)) found = true;
        });
        if (found) return true;
    }
    return false;
}

void RequestHead::clear() noexcept {
    method = target = scheme = authority = path = query = host = {};
    form = TargetForm::kOrigin;
    version = Version::kHttp11;
    headers.clear();
    content_length.reset();
    chunked = false;
    keep_alive = true;
    expect_continue = false;
    upgrade = false;
}

}  // namespace netius::net::http
