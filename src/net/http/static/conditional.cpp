#include "net/http/static/conditional.hpp"

#include <fmt/format.h>

#include "net/http/char_class.hpp"
#include "net/http/date_cache.hpp"

namespace netius::net::http {
namespace {

struct EntityTag {
    bool weak = false;
    std::string_view opaque;  // with its quotes
};

// Splits one entity-tag (§8.8.3: [ "W/" ] DQUOTE *etagc DQUOTE) off the front of `s`.
bool next_etag(std::string_view& s, EntityTag& tag) {
    tag.weak = s.starts_with("W/");
    if (tag.weak) s.remove_prefix(2);
    if (s.empty() || s.front() != '"') return false;
    const std::size_t close = s.find('"', 1);
    if (close == std::string_view::npos) return false;
    tag.opaque = s.substr(0, close + 1);
    s.remove_prefix(close + 1);
    return true;
}

EntityTag split(std::string_view etag) {
    EntityTag t;
    t.weak = etag.starts_with("W/");
    t.opaque = t.weak ? etag.substr(2) : etag;
    return t;
}

// Whether the representation was modified after the date in `value` (invalid: unknown,
// reported as `fallback`).
bool modified_since(std::string_view value, std::time_t last_modified, bool fallback) {
    auto date = parse_http_date(detail::trim_ows(value));
    if (!date) return fallback;
    return last_modified > *date;
}

// Every If-Match / If-None-Match line of the request must be considered together (a list
// field may be split over lines, §5.3).
bool any_line_matches(const RequestHead& r, std::string_view name, std::string_view etag,
                      bool weak) {
    for (const Header& h : r.headers)
        if (detail::iequals(h.name, name) && etag_list_matches(h.value, etag, weak)) return true;
    return false;
}

}  // namespace

std::string make_file_etag(std::time_t mtime, long mtime_nsec, std::uint64_t size) {
    return fmt::format("\"{:x}.{:x}-{:x}\"", static_cast<std::uint64_t>(mtime),
                       static_cast<unsigned long>(mtime_nsec), size);
}

bool etag_list_matches(std::string_view list, std::string_view etag, bool weak) {
    const EntityTag ours = split(etag);
    for (;;) {
        while (!list.empty() &&
               (list.front() == ' ' || list.front() == '\t' || list.front() == ','))
            list.remove_prefix(1);
        if (list.empty()) return false;
        if (list.front() == '*') return true;
        EntityTag theirs;
        if (!next_etag(list, theirs)) return false;  // malformed: stop, nothing matched
        if (theirs.opaque != ours.opaque) continue;
        if (weak || (!theirs.weak && !ours.weak)) return true;
    }
}

Precondition evaluate_preconditions(const RequestHead& r, const Validators& v) {
    // §13.2.2 steps 1-2: If-Match, else If-Unmodified-Since.
    if (r.get("If-Match")) {
        if (!any_line_matches(r, "If-Match", v.etag, false)) return Precondition::kFailed;
    } else if (auto ius = r.get("If-Unmodified-Since")) {
        if (modified_since(*ius, v.last_modified, false)) return Precondition::kFailed;
    }
    // Steps 3-4: If-None-Match, else If-Modified-Since (GET/HEAD only: our callers).
    if (r.get("If-None-Match")) {
        if (any_line_matches(r, "If-None-Match", v.etag, true)) return Precondition::kNotModified;
    } else if (auto ims = r.get("If-Modified-Since")) {
        if (!modified_since(*ims, v.last_modified, true)) return Precondition::kNotModified;
    }
    return Precondition::kProceed;
}

bool if_range_allows(const RequestHead& r, const Validators& v) {
    auto value = r.get("If-Range");
    if (!value) return true;
    std::string_view s = detail::trim_ows(*value);
    if (s.starts_with("W/") || s.starts_with("\"")) {  // an entity-tag: strong comparison
        EntityTag theirs;
        const EntityTag ours = split(v.etag);
        return next_etag(s, theirs) && s.empty() && !theirs.weak && !ours.weak &&
               theirs.opaque == ours.opaque;
    }
    auto date = parse_http_date(s);
    return date && *date == v.last_modified;
}

}  // namespace netius::net::http
