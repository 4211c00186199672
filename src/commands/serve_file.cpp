// `netius serve file [--base-path DIR]` — the static file server (netius-spec §5, with the
// netius bugs fixed: netius-compat.md). CLI adapter only; the work is net::http::StaticFiles.
#include <memory>

#include "commands/http_serve.hpp"
#include "commands/registry.hpp"
#include "net/http/static/static_files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    net::http::StaticFilesOptions files;
    ServerOptions server;
};

int run(const Options& o) {
    // Opened once before any worker starts, so a bad --base-path is one clear error line.
    net::http::StaticFiles check(o.files);
    return run_http_server(
        "file", o.server,
        [&o] {
            auto files = std::make_shared<net::http::StaticFiles>(o.files);  // per worker
            return [files](const net::http::Request& req, net::http::Response& res) {
                files->handle(req, res);
            };
        },
        HttpServeSetup{
            .sandbox = sandbox::FsPolicy{.read = {o.files.base_path}},  // reads only there
            .drops_root_by_default = true});
}

}  // namespace

void register_serve_file(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "file", "Serve the files of a directory (GET and HEAD)",
                              [o] { return run(*o); });
    net::http::StaticFilesOptions& f = o->files;
    c->add_option("--base-path", f.base_path, "Directory to serve; nothing outside it is reachable")
        ->envname("BASE_PATH")
        ->type_name("DIR")
        ->capture_default_str()
        ->group("Files");
    cli.empty_env_is_value(
           c->add_option("--index-files", f.index_files,
                         "Files tried in order for a directory (';'-separated; '' or an empty "
                         "INDEX_FILES for none)")
               ->envname("INDEX_FILES")
               ->delimiter(';')
               ->type_name("LIST")
               ->capture_default_str())
        ->group("Files");
    add_bool_flag(*c, "--list-dirs,!--no-list-dirs", f.list_dirs, "LIST_DIRS",
                  "List a directory without an index file (HTML; ?format=json for JSON); "
                  "default on")
        ->group("Files");
    add_bool_flag(*c, "--cors", f.cors, "CORS", "Send Access-Control-Allow-Origin: *")
        ->group("Files");
    c->add_option("--cache", f.cache_seconds,
                  "Seconds files may be cached: Cache-Control public, max-age and Expires "
                  "(0 = no caching headers)")
        ->envname("CACHE")
        ->type_name("SECONDS")
        ->capture_default_str()
        ->group("Files");
    add_bool_flag(*c, "--precompressed", f.precompressed, "PRECOMPRESSED",
                  "Serve x.br or x.gz beside x to clients that accept br or gzip "
                  "(Vary: Accept-Encoding)")
        ->group("Files");
    add_bool_flag(*c, "--hidden", f.hidden, "HIDDEN",
                  "Serve and list names starting with '.' (default: 404 and not listed)")
        ->group("Files");
    add_bool_flag(*c, "--follow-symlinks", f.follow_symlinks, "FOLLOW_SYMLINKS",
                  "Follow symbolic links whose target stays inside the base directory "
                  "(default: no links are followed)")
        ->group("Files");
    o->server.add_to(*c, 9090);
    c->footer(
        "Text types (HTML, CSS, JavaScript, JSON, SVG...) are compressed on the fly with\n"
        "--encoding gzip|deflate when the client accepts it: streamed through zlib in\n"
        "128 KiB pieces, so any file size costs constant memory; ranges and precompressed\n"
        "files are sent as stored. Files go out with sendfile(2) on plain TCP.\n\n"
        "Examples:\n"
        "  netius serve file --base-path /srv/www     # http://127.0.0.1:9090/\n"
        "  netius serve file --cache 3600 --precompressed --encoding gzip --workers 2\n"
        "  curl -r 0-99 http://127.0.0.1:9090/big.iso    # a byte range\n"
        "  curl 'http://127.0.0.1:9090/?format=json'     # a listing as JSON");
}

}  // namespace netius::cmd
