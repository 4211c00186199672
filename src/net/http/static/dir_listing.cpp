#include "net/http/static/dir_listing.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <iterator>

#include <fmt/format.h>

#include "net/http/request_target.hpp"
#include "net/http/static/mime_types.hpp"
#include "net/http/static/text_escape.hpp"

namespace netius::net::http {
namespace {

// Whether the entry `name` of the listed directory may be listed, and its metadata.
bool describe(int base, std::string_view relative, int dir, const char* name,
              const ListingPolicy& policy, DirEntry& e) {
    struct stat st {};
    if (::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
    if (S_ISLNK(st.st_mode)) {
        // The server would follow it only beneath the base: list it only if that works.
        if (!policy.beneath.follow_symlinks) return false;
        std::string path(relative);
        if (!path.empty() && path.back() != '/') path.push_back('/');
        path.append(name);
        OpenResult r = open_beneath(base, path, O_PATH, policy.beneath);
        if (!r.fd || ::fstat(r.fd.get(), &st) != 0) return false;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return false;
    e.name = name;
    e.directory = S_ISDIR(st.st_mode);
    e.size = e.directory ? 0 : static_cast<std::uint64_t>(st.st_size);
    e.modified = st.st_mtim.tv_sec;
    e.type = e.directory ? std::string_view() : media_type_of(content_type_for(e.name));
    return true;
}

// netius' tie-break: directories (0) before files (1).
int kind(const DirEntry& e) {
    return e.directory ? 0 : 1;
}

}  // namespace

ListingQuery parse_listing_query(std::string_view query) {
    ListingQuery q;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value =
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (key == "sort") {
            if (value == "name") q.sort = SortKey::kName;
            if (value == "modified") q.sort = SortKey::kModified;
            if (value == "size") q.sort = SortKey::kSize;
            if (value == "type") q.sort = SortKey::kType;
        } else if (key == "direction") {
            if (value == "asc" || value == "desc") q.descending = value == "desc";
        } else if (key == "format") {
            q.json = value == "json";
        }
    }
    return q;
}

int read_listing(int base, std::string_view relative, int dir, const ListingPolicy& policy,
                 Listing& out) {
    // fdopendir takes the descriptor it is given: give it its own.
    int own = ::fcntl(dir, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return errno;
    DIR* d = ::fdopendir(own);
    if (!d) {
        const int err = errno;
        ::close(own);
        return err;
    }
    ::rewinddir(d);
    while (const dirent* ent = ::readdir(d)) {
        const std::string_view name = ent->d_name;
        if (name == "." || name == "..") continue;
        if (name.front() == '.' && !policy.hidden) continue;
        if (out.entries.size() >= kMaxListingEntries) {
            out.truncated = true;
            break;
        }
        DirEntry e;
        if (describe(base, relative, dir, ent->d_name, policy, e))
            out.entries.push_back(std::move(e));
    }
    ::closedir(d);
    return 0;
}

void sort_entries(std::vector<DirEntry>& entries, SortKey key, bool descending) {
    std::sort(entries.begin(), entries.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    auto by = [&entries](auto less) { std::stable_sort(entries.begin(), entries.end(), less); };
    switch (key) {
        case SortKey::kDefault:
            by([](const DirEntry& a, const DirEntry& b) { return kind(a) < kind(b); });
            break;
        case SortKey::kName:
            break;  // names are unique in a directory
        case SortKey::kModified:
            by([](const DirEntry& a, const DirEntry& b) {
                return a.modified != b.modified ? a.modified < b.modified : kind(a) < kind(b);
            });
            break;
        case SortKey::kSize:
            by([](const DirEntry& a, const DirEntry& b) {
                return a.size != b.size ? a.size < b.size : kind(a) < kind(b);
            });
            break;
        case SortKey::kType:
            by([](const DirEntry& a, const DirEntry& b) {
                return a.type != b.type ? a.type < b.type : kind(a) < kind(b);
            });
            break;
    }
    if (descending) std::reverse(entries.begin(), entries.end());
}

std::string format_size(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    static constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    auto v = static_cast<double>(bytes);
    std::size_t unit = 0;
    v /= 1024;
    while (v >= 1024 && unit + 1 < std::size(kUnits)) {
        v /= 1024;
        ++unit;
    }
    const int int_digits = v < 10 ? 1 : v < 100 ? 2 : 3;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", std::max(0, 3 - int_digits), v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s + " " + kUnits[unit];
}

std::string format_minute(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void append_entry_href(std::string& out, const DirEntry& entry) {
    append_percent_encoded(out, entry.name, false);
    if (entry.directory) out.push_back('/');
}

std::string render_listing_json(const Listing& listing) {
    std::string out = "{\"path\":";
    append_json_string(out, listing.path);
    out.append(",\"truncated\":").append(listing.truncated ? "true" : "false");
    out.append(",\"entries\":[");
    for (std::size_t i = 0; i < listing.entries.size(); ++i) {
        const DirEntry& e = listing.entries[i];
        if (i) out.push_back(',');
        out.append("{\"name\":");
        append_json_string(out, e.name);
        out.append(R"(,"href":")");
        append_entry_href(out, e);  // URL-encoded: plain ASCII, nothing to escape
        out.append(R"(","kind":)").append(e.directory ? "\"directory\"" : "\"file\"");
        if (!e.directory) out.append(",\"size\":").append(std::to_string(e.size));
        std::tm tm{};
        gmtime_r(&e.modified, &tm);
        fmt::format_to(std::back_inserter(out),
                       R"(,"modified":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z")", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        if (!e.directory) {
            out.append(",\"type\":");
            append_json_string(out, e.type);
        }
        out.push_back('}');
    }
    out.append("]}\n");
    return out;
}

}  // namespace netius::net::http
