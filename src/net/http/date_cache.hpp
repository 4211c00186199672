#pragma once
// HTTP dates (RFC 9110 §5.6.7 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") and a per-second
// cache of the current one for the Date field of every response.
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace netius::net::http {

/// Length of an IMF-fixdate.
inline constexpr std::size_t kHttpDateSize = 29;

/// Writes the IMF-fixdate of `t` (seconds since the epoch, UTC) into `out`. Pure, any thread;
/// no locale involved.
void format_http_date(std::time_t t, char (&out)[kHttpDateSize]) noexcept;
std::string format_http_date(std::time_t t);

/// Parses an HTTP-date in any of the three forms a recipient must accept (RFC 9110 §5.6.7):
/// IMF-fixdate, obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more
/// than 50 years ahead means the previous century) and asctime ("Sun Nov  6 08:49:37 1994").
/// Returns seconds since the epoch, or nullopt for anything else (callers then ignore the
/// field, §13.1.3). Pure, any thread.
std::optional<std::time_t> parse_http_date(std::string_view text) noexcept;

/// The current Date value, formatted once per second. One per loop thread (not thread-safe);
/// the server calls get() with the loop's clock reading for each response.
class DateCache {
  public:
    /// The IMF-fixdate of `now`; reformats only when the second differs from the last call.
    /// The view stays valid until the next call.
    std::string_view get(std::time_t now) noexcept;
    std::string_view get(std::chrono::system_clock::time_point now) noexcept {
        return get(std::chrono::system_clock::to_time_t(now));
    }

  private:
    std::time_t second_ = -1;
    char text_[kHttpDateSize] = {};
};

}  // namespace netius::net::http
