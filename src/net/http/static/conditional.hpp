#pragma once
// Validators and conditional requests (RFC 9110 §8.8, §13) for a representation with an
// entity tag and a modification time (a static file). Pure, any thread.
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"

namespace netius::net::http {

/// What a representation is validated by.
struct Validators {
    std::string_view etag;      // a quoted entity-tag, e.g. "\"5f0c-2b\"" (may be W/...)
    std::time_t last_modified;  // seconds since the epoch
};

/// A strong entity tag for a file (§8.8.3): quoted hex of its modification time (seconds and
/// nanoseconds) and size, so any change visible to stat(2) changes it. Workers and restarts
/// give the same tag for the same file.
std::string make_file_etag(std::time_t mtime, long mtime_nsec, std::uint64_t size);

/// Whether the entity-tag list `list` (an If-Match/If-None-Match value, §13.1.1-§13.1.2)
/// holds `etag`: "*" matches anything; `weak` selects the weak comparison (§8.8.3.2, W/
/// prefixes ignored), else the strong one (both must be strong and equal). Malformed
/// elements never match.
bool etag_list_matches(std::string_view list, std::string_view etag, bool weak);

enum class Precondition : std::uint8_t {
    kProceed,      // answer normally (Range may still apply: see if_range_allows)
    kNotModified,  // 304 (§15.4.5), for GET and HEAD
    kFailed,       // 412 Precondition Failed (§15.5.13)
};

/// Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order
/// of §13.2.2 for a GET or HEAD of a representation that exists. Unparseable dates are
/// ignored (§13.1.3-§13.1.4); If-Modified-Since only counts without If-None-Match.
Precondition evaluate_preconditions(const RequestHead& request, const Validators& v);

/// If-Range (§13.1.5): true when a Range field may be honoured — no If-Range, an entity-tag
/// that strongly matches `v.etag`, or an HTTP-date exactly equal to `v.last_modified`.
bool if_range_allows(const RequestHead& request, const Validators& v);

}  // namespace netius::net::http
