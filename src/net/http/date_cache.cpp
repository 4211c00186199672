#include "net/http/date_cache.hpp"

namespace netius::net::http {

namespace {

constexpr char kDays[] = "SunMonTueWedThuFriSat";
constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

void put2(char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

// Reads `n` digits at `s`; -1 unless they are all digits.
int digits(std::string_view s, std::size_t n) {
    if (s.size() < n) return -1;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int month_index(std::string_view name) {
    for (int m = 0; m < 12; ++m)
        if (name == std::string_view(kMonths + m * 3, 3)) return m;
    return -1;
}

// "HH:MM:SS" into tm; false when malformed or out of range (60 = leap second).
bool parse_clock(std::string_view s, std::tm& tm) {
    if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
    tm.tm_hour = digits(s, 2);
    tm.tm_min = digits(s.substr(3), 2);
    tm.tm_sec = digits(s.substr(6), 2);
    return tm.tm_hour >= 0 && tm.tm_hour < 24 && tm.tm_min >= 0 && tm.tm_min < 60 &&
           tm.tm_sec >= 0 && tm.tm_sec <= 60;
}

std::optional<std::time_t> to_time(std::tm& tm) {
    if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 0) return {};
    const std::time_t t = timegm(&tm);
    if (t == static_cast<std::time_t>(-1)) return {};
    return t;
}

}  // namespace

void format_http_date(std::time_t t, char (&out)[kHttpDateSize]) noexcept {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char* p = out;
    for (int k = 0; k < 3; ++k) p[k] = kDays[tm.tm_wday * 3 + k];
    p[3] = ',';
    p[4] = ' ';
    put2(p + 5, tm.tm_mday);
    p[7] = ' ';
    for (int k = 0; k < 3; ++k) p[8 + k] = kMonths[tm.tm_mon * 3 + k];
    p[11] = ' ';
    const int year = tm.tm_year + 1900;  // four digits for the years HTTP dates describe
    put2(p + 12, (year / 100) % 100);
    put2(p + 14, year % 100);
    p[16] = ' ';
    put2(p + 17, tm.tm_hour);
    p[19] = ':';
    put2(p + 20, tm.tm_min);
    p[22] = ':';
    put2(p + 23, tm.tm_sec);
    p[25] = ' ';
    p[26] = 'G';
    p[27] = 'M';
    p[28] = 'T';
}

std::string format_http_date(std::time_t t) {
    char buf[kHttpDateSize];
    format_http_date(t, buf);
    return std::string(buf, kHttpDateSize);
}

std::optional<std::time_t> parse_http_date(std::string_view s) noexcept {
    std::tm tm{};
    if (s.size() == kHttpDateSize && s[3] == ',') {  // Sun, 06 Nov 1994 08:49:37 GMT
        if (s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s.substr(25) != " GMT")
            return {};
        tm.tm_mday = digits(s.substr(5), 2);
        tm.tm_mon = month_index(s.substr(8, 3));
        tm.tm_year = digits(s.substr(12), 4) - 1900;
        if (!parse_clock(s.substr(17, 8), tm)) return {};
        return to_time(tm);
    }
    if (std::size_t comma = s.find(", "); comma != std::string_view::npos && comma >= 6) {
        std::string_view rest = s.substr(comma + 2);  // 06-Nov-94 08:49:37 GMT
        if (rest.size() != 22 || rest[2] != '-' || rest[6] != '-' || rest[9] != ' ' ||
            rest.substr(18) != " GMT")
            return {};
        tm.tm_mday = digits(rest, 2);
        tm.tm_mon = month_index(rest.substr(3, 3));
        int yy = digits(rest.substr(7), 2);
        if (yy < 0 || !parse_clock(rest.substr(10, 8), tm)) return {};
        // RFC 9110 §5.6.7: a year that looks more than 50 years ahead is in the past.
        std::tm now{};
        const std::time_t t = std::time(nullptr);
        gmtime_r(&t, &now);
        int year = (now.tm_year + 1900) / 100 * 100 + yy;
        if (year > now.tm_year + 1900 + 50) year -= 100;
        tm.tm_year = year - 1900;
        return to_time(tm);
    }
    if (s.size() == 24 && s[3] == ' ' && s[7] == ' ' && s[10] == ' ' && s[19] == ' ') {
        tm.tm_mon = month_index(s.substr(4, 3));  // Sun Nov  6 08:49:37 1994
        tm.tm_mday = s[8] == ' ' ? digits(s.substr(9), 1) : digits(s.substr(8), 2);
        tm.tm_year = digits(s.substr(20), 4) - 1900;
        if (!parse_clock(s.substr(11, 8), tm)) return {};
        return to_time(tm);
    }
    return {};
}

std::string_view DateCache::get(std::time_t now) noexcept {
    if (now != second_) {
        format_http_date(now, text_);
        second_ = now;
    }
    return std::string_view(text_, kHttpDateSize);
}

}  // namespace netius::net::http
