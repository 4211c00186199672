// The HTML5 listing page: one self-contained document (inline CSS and SVG icons, no scripts,
// no external resources), readable on a phone and in dark mode. Names are HTML-escaped for
// display and URL-encoded in links.
#include "net/http/request_target.hpp"
#include "net/http/static/dir_listing.hpp"
#include "net/http/static/text_escape.hpp"

namespace netius::net::http {
namespace {

constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Index of )";

constexpr std::string_view kStyle = R"(</title>
<style>
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--row:#f6f8fa;--line:#d0d7de;--link:#0969da;--dir:#54aeff;--file:#8c959f}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--row:#161b22;--line:#30363d;--link:#4493f8;--dir:#539bf5;--file:#768390}}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem clamp(.75rem,4vw,3rem);background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.25rem;font-weight:600;margin:0 0 1rem;overflow-wrap:anywhere}
h1 .sep{color:var(--muted);margin:0 .2em}
table{width:100%;max-width:64rem;border-collapse:collapse}
th,td{padding:.45rem .6rem;text-align:left;border-bottom:1px solid var(--line)}
th{font-weight:600;font-size:.85rem;white-space:nowrap}th a{color:var(--fg)}
th[aria-sort] a::after{content:" \2191";color:var(--muted)}th[aria-sort=descending] a::after{content:" \2193"}
tbody tr:hover{background:var(--row)}
td.name{overflow-wrap:anywhere}td.name a{display:inline-flex;gap:.5rem;align-items:center}
td.size,th.size{text-align:right;white-space:nowrap}td.mtime,td.type{color:var(--muted);white-space:nowrap}
svg{width:1.1rem;height:1.1rem;flex:none}.dir svg{fill:var(--dir)}.file svg{fill:var(--file)}
footer{margin-top:1rem;color:var(--muted);font-size:.8rem}
@media (max-width:40rem){.type{display:none}}
@media (max-width:28rem){.mtime{display:none}}
</style>
</head>
<body>
<svg hidden><symbol id="d" viewBox="0 0 16 16"><path d="M1.75 1A1.75 1.75 0 0 0 0 2.75v10.5C0 14.22.78 15 1.75 15h12.5A1.75 1.75 0 0 0 16 13.25v-8.5A1.75 1.75 0 0 0 14.25 3H7.5a.25.25 0 0 1-.2-.1l-.9-1.2C6.07 1.26 5.55 1 5 1H1.75Z"/></symbol><symbol id="f" viewBox="0 0 16 16"><path d="M2 1.75C2 .78 2.78 0 3.75 0h6.59c.46 0 .9.18 1.23.51l2.92 2.92c.33.33.51.77.51 1.23v9.59A1.75 1.75 0 0 1 13.25 16h-9.5A1.75 1.75 0 0 1 2 14.25Zm7 .25v3.25c0 .41.34.75.75.75H13v8.25a.25.25 0 0 1-.25.25h-9.5a.25.25 0 0 1-.25-.25V1.75a.25.25 0 0 1 .25-.25H9Z"/></symbol></svg>
<main>
<h1>Index of )";

constexpr std::string_view kColumns[] = {"name", "modified", "size", "type"};
constexpr std::string_view kTitles[] = {"Name", "Modified", "Size", "Type"};
constexpr std::string_view kClasses[] = {"name", "mtime", "size", "type"};
constexpr SortKey kKeys[] = {SortKey::kName, SortKey::kModified, SortKey::kSize, SortKey::kType};

// Index of / › d1 › d2 — each ancestor a link to itself.
void append_breadcrumbs(std::string& out, std::string_view path) {
    std::string_view rest = path.substr(1);
    if (rest.empty()) {
        out.append("<span aria-current=\"page\">/</span>");
        return;
    }
    out.append("<a href=\"/\">/</a>");
    std::string href = "/";
    while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        const std::string_view name = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        append_percent_encoded(href, name, false);
        href.push_back('/');
        if (rest.empty()) {
            out.append("<span aria-current=\"page\">");
            append_html_escaped(out, name);
            out.append("</span>");
        } else {
            out.append("<a href=\"").append(href).append("\">");
            append_html_escaped(out, name);
            out.append("</a><span class=\"sep\">/</span>");
        }
    }
}

void append_header_row(std::string& out, const ListingQuery& q) {
    out.append("<thead><tr>");
    for (std::size_t i = 0; i < std::size(kColumns); ++i) {
        const bool active = q.sort == kKeys[i];
        // The active column flips its direction; the others start ascending.
        const bool next_descending = active && !q.descending;
        out.append("<th class=\"").append(kClasses[i]).append("\"");
        if (active)
            out.append(q.descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"");
        out.append("><a href=\"?sort=").append(kColumns[i]);
        out.append(next_descending ? "&amp;direction=desc\">" : "&amp;direction=asc\">");
        out.append(kTitles[i]).append("</a></th>");
    }
    out.append("</tr></thead>\n");
}

void append_row(std::string& out, const DirEntry& e) {
    out.append(e.directory ? "<tr class=\"dir\">" : "<tr class=\"file\">");
    out.append(R"(<td class="name"><a href=")");
    append_entry_href(out, e);
    out.append(e.directory ? R"("><svg aria-hidden="true"><use href="#d"/></svg>)"
                           : R"("><svg aria-hidden="true"><use href="#f"/></svg>)");
    append_html_escaped(out, e.name);
    if (e.directory) out.push_back('/');
    out.append("</a></td><td class=\"mtime\">").append(format_minute(e.modified));
    out.append("</td><td class=\"size\">").append(e.directory ? "&#8212;" : format_size(e.size));
    out.append("</td><td class=\"type\">");
    if (e.directory)
        out.append("Directory");
    else
        append_html_escaped(out, e.type);
    out.append("</td></tr>\n");
}

}  // namespace

std::string render_listing_html(const Listing& listing, const ListingQuery& query) {
    std::string out;
    out.reserve(4096 + listing.entries.size() * 320);
    out.append(kHead);
    append_html_escaped(out, listing.path);
    out.append(kStyle);
    append_breadcrumbs(out, listing.path);
    out.append("</h1>\n<table>\n");
    append_header_row(out, query);
    out.append("<tbody>\n");
    if (listing.path != "/")
        out.append(
            "<tr class=\"dir\"><td class=\"name\"><a href=\"../\"><svg aria-hidden=\"true\">"
            "<use href=\"#d\"/></svg>Parent directory</a></td><td class=\"mtime\"></td>"
            "<td class=\"size\"></td><td class=\"type\"></td></tr>\n");
    std::size_t dirs = 0;
    for (const DirEntry& e : listing.entries) {
        append_row(out, e);
        dirs += e.directory ? 1 : 0;
    }
    out.append("</tbody>\n</table>\n</main>\n<footer>");
    out.append(std::to_string(dirs)).append(dirs == 1 ? " directory, " : " directories, ");
    const std::size_t files = listing.entries.size() - dirs;
    out.append(std::to_string(files)).append(files == 1 ? " file" : " files");
    if (listing.truncated) out.append(" (listing truncated)");
    out.append(" &#183; netius</footer>\n</body>\n</html>\n");
    return out;
}

}  // namespace netius::net::http
