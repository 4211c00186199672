#pragma once
// StaticFiles — the handler of `netius serve file`: GET/HEAD of the files beneath one base
// directory. Files are streamed (FileBody: sendfile on plain TCP) with strong ETags and
// Last-Modified, conditional requests (RFC 9110 §13), byte ranges including
// multipart/byteranges (§14), CORS, cache lifetimes, precompressed .br/.gz siblings, and
// directories answered with a redirect to "dir/", an index file or a listing (HTML or JSON).
//
// Safety: request paths are percent-decoded once and normalised (decode_path), every lookup
// is resolved beneath the base by the kernel (open_beneath), dotfiles are hidden unless
// allowed; what cannot be served is a 404 that names no file-system path. No request yields
// a 500.
//
//     StaticFiles files({.base_path = "/srv/www"});
//     HttpServer server(&loop, address, {}, [&files](const Request& q, Response& r) {
//         files.handle(q, r);
//     });
//
// Construction opens the base directory (blocking). handle() runs on the loop thread and
// blocks only on the local file system (open, fstat, readdir), as nginx does.
#include <sys/stat.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "net/http/date_cache.hpp"
#include "net/http/http_types.hpp"
#include "net/http/static/path_resolver.hpp"

namespace netius::net::http {

struct StaticFilesOptions {
    std::string base_path = ".";
    /// Tried in order in a directory before listing it (netius INDEX_FILES).
    std::vector<std::string> index_files = {"index.html"};
    bool list_dirs = true;  // a directory without an index file is listed (else 404)
    bool cors = false;      // Access-Control-Allow-Origin: *
    /// > 0: Cache-Control "public, max-age=N" and Expires now + N on files (netius CACHE).
    std::uint32_t cache_seconds = 0;
    /// Serve "x.br" / "x.gz" beside "x" when the client accepts br / gzip (nginx gzip_static).
    bool precompressed = false;
    bool hidden = false;           // serve and list names starting with "."
    bool follow_symlinks = false;  // follow links whose target stays beneath the base
};

class StaticFiles {
  public:
    /// Opens the base directory; throws netius::Error naming it when it cannot be opened or
    /// is not a directory.
    explicit StaticFiles(StaticFilesOptions options);

    /// The Handler: fills `res` for `req` (never throws for anything a request can do).
    void handle(const Request& req, Response& res);

  private:
    void serve_directory(const Request& req, Response& res, const std::string& path, int dir);
    void serve_listing(const Request& req, Response& res, const std::string& path, int dir);
    /// A regular file: `relative` to the base (for siblings), `fd`/`st` already open.
    void serve_file(const Request& req, Response& res, std::string_view relative, UniqueFd fd,
                    const struct stat& st);
    /// Replaces fd/st with the best precompressed sibling the client accepts; returns its
    /// Content-Encoding value, or "" when the file itself is to be sent.
    std::string_view choose_sibling(const Request& req, std::string_view relative, UniqueFd& fd,
                                    struct stat& st);
    /// Headers every file response carries (CORS, cache lifetime, Vary).
    void add_common_headers(Response& res);

    StaticFilesOptions options_;
    UniqueFd base_;
    BeneathOptions beneath_;
    DateCache expires_;
    std::mt19937_64 boundaries_;  // multipart boundaries
};

/// Sets `res` to the short text answer for an error `status` ("404 Not Found\n").
void set_error_response(Response& res, Status status);

}  // namespace netius::net::http
