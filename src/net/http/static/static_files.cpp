// StaticFiles: methods, path safety, directories and listings. Serving one file is in
// static_file_response.cpp.
#include "net/http/static/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "net/http/request_target.hpp"
#include "net/http/static/dir_listing.hpp"
#include "util/error.hpp"

namespace netius::net::http {
namespace {

// Flags for opening anything a request names: never block on a FIFO, never acquire a
// terminal; the type is checked with fstat before anything is read.
constexpr int kOpenFlags = O_RDONLY | O_NONBLOCK | O_NOCTTY;

// Names starting with "." anywhere in the decoded path (".git/config", "a/.env").
bool has_hidden_segment(std::string_view path) {
    for (std::size_t i = 0; i + 1 < path.size(); ++i)
        if (path[i] == '/' && path[i + 1] == '.') return true;
    return false;
}

// What a failed lookup tells the client: nothing about the file system beyond "not here".
Status status_for_errno(int err) {
    switch (err) {
        case EACCES:
        case EPERM:
            return Status::kForbidden;
        case EMFILE:
        case ENFILE:
        case ENOMEM:
            return Status::kServiceUnavailable;
        default:  // ENOENT, ENOTDIR, ELOOP, EXDEV (outside the base), ENAMETOOLONG...
            return Status::kNotFound;
    }
}

}  // namespace

void set_error_response(Response& res, Status status) {
    res.clear();
    res.status = status;
    res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    res.storage.append(std::to_string(code(status))).append(" ");
    res.storage.append(reason_phrase(status)).append("\n");
    res.body = res.storage;
}

StaticFiles::StaticFiles(StaticFilesOptions options)
    : options_(std::move(options)), boundaries_(std::random_device{}()) {
    int fd = ::open(options_.base_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw Error(errno_message("base path " + options_.base_path, errno));
    base_.reset(fd);
    beneath_.follow_symlinks = options_.follow_symlinks;
}

void StaticFiles::handle(const Request& req, Response& res) {
    if (req.head.method != "GET" && req.head.method != "HEAD") {
        set_error_response(res, Status::kMethodNotAllowed);
        res.headers.push_back({"Allow", "GET, HEAD"});  // RFC 9110 §15.5.6
        return;
    }
    std::optional<std::string> path = decode_path(req.head.path);
    if (!path || (!options_.hidden && has_hidden_segment(*path))) {
        set_error_response(res, Status::kNotFound);
        return;
    }
    const std::string_view relative = std::string_view(*path).substr(1);
    OpenResult opened = open_beneath(base_.get(), relative, kOpenFlags, beneath_);
    struct stat st {};
    if (!opened.fd || ::fstat(opened.fd.get(), &st) != 0) {
        set_error_response(res, status_for_errno(opened.fd ? errno : opened.error));
        return;
    }
    if (S_ISDIR(st.st_mode))
        serve_directory(req, res, *path, opened.fd.get());
    else if (S_ISREG(st.st_mode))
        serve_file(req, res, relative, std::move(opened.fd), st);
    else  // FIFOs, sockets, devices are not content
        set_error_response(res, Status::kNotFound);
}

void StaticFiles::serve_directory(const Request& req, Response& res, const std::string& path,
                                  int dir) {
    if (path.back() != '/') {  // relative links in the page need the slash: /dir -> /dir/
        set_error_response(res, Status::kMovedPermanently);
        // Built from the normalised path: it starts with one "/" and a segment, and "\" is
        // encoded, so it cannot become "//host" (CVE-2021-28861 in Python's http.server).
        std::string location;
        append_percent_encoded(location, path, true);
        location.push_back('/');
        if (!req.head.query.empty()) location.append("?").append(req.head.query);
        const std::size_t at = res.storage.size();
        res.storage.append(location);
        res.body = std::string_view(res.storage).substr(0, at);
        res.headers.push_back({"Location", std::string_view(res.storage).substr(at)});
        return;
    }
    for (const std::string& index : options_.index_files) {
        if (index.empty() || (!options_.hidden && index.front() == '.')) continue;
        const std::string relative = path.substr(1) + index;
        OpenResult r = open_beneath(base_.get(), relative, kOpenFlags, beneath_);
        struct stat st {};
        if (r.fd && ::fstat(r.fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
            serve_file(req, res, relative, std::move(r.fd), st);
            return;
        }
    }
    if (!options_.list_dirs) {
        set_error_response(res, Status::kNotFound);
        return;
    }
    serve_listing(req, res, path, dir);
}

void StaticFiles::serve_listing(const Request& req, Response& res, const std::string& path,
                                int dir) {
    Listing listing;
    listing.path = path;
    ListingPolicy policy;
    policy.hidden = options_.hidden;
    policy.beneath = beneath_;
    if (int err =
            read_listing(base_.get(), std::string_view(path).substr(1), dir, policy, listing)) {
        set_error_response(res, status_for_errno(err));
        return;
    }
    const ListingQuery query = parse_listing_query(req.head.query);
    sort_entries(listing.entries, query.sort, query.descending);
    res.storage = query.json ? render_listing_json(listing) : render_listing_html(listing, query);
    res.body = res.storage;
    res.headers.push_back(
        {"Content-Type", query.json ? "application/json" : "text/html; charset=utf-8"});
    // Defence in depth for a page full of untrusted names: no script, no external resource.
    res.headers.push_back(
        {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"});
    res.headers.push_back({"X-Content-Type-Options", "nosniff"});
    if (options_.cors) res.headers.push_back({"Access-Control-Allow-Origin", "*"});
}

}  // namespace netius::net::http
