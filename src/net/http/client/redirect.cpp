#include "net/http/client/redirect.hpp"

#include <algorithm>
#include <charconv>

#include "net/http/char_class.hpp"

namespace netius::net::http {

bool is_redirect(int status) noexcept {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool redirect_request(const ClientRequest& current, int status, std::string_view location,
                      ClientRequest& next, std::string& error) {
    location = detail::trim_ows(location);
    if (location.empty()) {
        error = "redirect without a Location";
        return false;
    }
    Url url;
    if (!resolve_url(current.url, location, url, error)) {
        error = "bad redirect Location: " + error;
        return false;
    }
    next = current;
    next.url = std::move(url);
    const bool to_get = (status == 303 && current.method != "HEAD") ||
                        ((status == 301 || status == 302) && current.method == "POST");
    if (to_get) {
        next.method = "GET";
        next.body.clear();
        next.upload.reset();
        std::erase_if(next.headers, [](const auto& h) {
            return detail::iequals(h.first, "Content-Type") ||
                   detail::iequals(h.first, "Content-Length");
        });
    }
    if (next.url.origin() != current.url.origin()) {
        next.send_credentials = next.url.has_userinfo;
        std::erase_if(next.headers, [](const auto& h) {
            return detail::iequals(h.first, "Authorization") || detail::iequals(h.first, "Cookie");
        });
    } else if (!next.url.has_userinfo && current.url.has_userinfo) {
        next.url.user = current.url.user;  // same origin: the credentials stay
        next.url.password = current.url.password;
        next.url.has_userinfo = true;
    }
    return true;
}

bool idempotent(std::string_view method) noexcept {
    for (std::string_view m : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
        if (method == m) return true;
    return false;
}

bool retryable_status(int status) noexcept {
    return status == 408 || status == 429 ||
           (status >= 500 && status <= 599 && status != 501 && status != 505);
}

std::chrono::milliseconds retry_delay(int attempt, std::optional<std::chrono::milliseconds> fixed,
                                      std::optional<std::string_view> retry_after) noexcept {
    using std::chrono::milliseconds;
    if (fixed) return std::min(*fixed, kMaxRetryDelay);
    if (retry_after) {  // delay-seconds only; an HTTP-date falls back to the back-off
        std::string_view v = detail::trim_ows(*retry_after);
        unsigned long seconds = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
        if (ec == std::errc() && end == v.data() + v.size() && !v.empty())
            return std::min(milliseconds(std::min<unsigned long>(seconds, 86'400) * 1000),
                            kMaxRetryDelay);
    }
    const int shift = std::clamp(attempt - 1, 0, 20);
    return std::min(milliseconds(1000LL << shift), kMaxRetryDelay);
}

}  // namespace netius::net::http
