#pragma once
// Directory listings for the static file server: reading a directory (beneath the served
// base, hidden and symlink policies applied), netius' sort order and query parameters
// (`?sort=name|modified|size|type&direction=asc|desc`, netius-spec §5.2), human sizes, and
// the two renderings — an HTML5 page (dir_listing_html.cpp) and JSON (`?format=json`).
// Reading blocks on the file system; the rest is pure. Any thread.
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/static/path_resolver.hpp"

namespace netius::net::http {

/// Entries listed at most; a bigger directory is listed in part, and says so.
inline constexpr std::size_t kMaxListingEntries = 10'000;

struct DirEntry {
    std::string name;  // as on disk (any bytes but "/" and NUL)
    bool directory = false;
    std::uint64_t size = 0;  // 0 for directories
    std::time_t modified = 0;
    std::string_view type;  // media type, "" for directories
};

enum class SortKey : std::uint8_t { kDefault, kName, kModified, kSize, kType };

struct ListingQuery {
    SortKey sort = SortKey::kDefault;  // kDefault: directories first, then by name
    bool descending = false;
    bool json = false;  // format=json
};

/// Reads `?sort=...&direction=...&format=json` from a query string; unknown keys and values
/// are ignored (defaults kept).
ListingQuery parse_listing_query(std::string_view query);

struct ListingPolicy {
    bool hidden = false;     // list names starting with "."
    BeneathOptions beneath;  // symlinks are listed only when followed and leading inside
};

struct Listing {
    std::string path;  // the decoded request path, ending in "/"
    std::vector<DirEntry> entries;
    bool truncated = false;  // kMaxListingEntries reached
};

/// Reads the directory `dir` (an fd opened O_RDONLY|O_DIRECTORY) found at `relative` beneath
/// `base` into `out.entries`: regular files and directories only (what the server would
/// serve); symbolic links are resolved beneath `base` when the policy follows them, else left
/// out. Returns 0 or an errno (the directory could not be read).
int read_listing(int base, std::string_view relative, int dir, const ListingPolicy& policy,
                 Listing& out);

/// Orders entries as netius does: by name (byte order), then stably by the key — kDefault
/// (directories first), kName, kModified, kSize, kType, directories before files on ties —
/// and the whole order reversed for `descending`.
void sort_entries(std::vector<DirEntry>& entries, SortKey key, bool descending);

/// A human size as netius' listings show it: "11 B", "2.44 KB", "118 MB" (1024-based, three
/// significant digits, trailing zeros dropped).
std::string format_size(std::uint64_t bytes);

/// "2020-01-02 03:04" (UTC), the modification time column.
std::string format_minute(std::time_t t);

/// The listing as an HTML5 page: breadcrumbs, sortable columns, icons, light and dark
/// themes, no external resources; every name HTML-escaped and URL-encoded.
std::string render_listing_html(const Listing& listing, const ListingQuery& query);

/// The listing as JSON: {"path": ..., "truncated": ..., "entries": [{"name", "href", "kind"
/// ("directory"|"file"), "size" (files), "modified" (RFC 3339 UTC), "type" (files)}]}.
std::string render_listing_json(const Listing& listing);

/// Appends the relative link to an entry: its name URL-encoded, plus "/" for a directory.
void append_entry_href(std::string& out, const DirEntry& entry);

}  // namespace netius::net::http
