#include "net/http/date_cache.hpp"

namespace netius::net::http {

namespace {

constexpr char kDays[] = "SunMonTueWedThuFriSat";
constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

void put2(char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
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

std::string_view DateCache::get(std::time_t now) noexcept {
    if (now != second_) {
        format_http_date(now, text_);
        second_ = now;
    }
    return std::string_view(text_, kHttpDateSize);
}

}  // namespace netius::net::http
