// `netius serve wsgi [MODULE[:NAME]]` — runs a Python WSGI application (PEP 3333) on the HTTP
// engine with an embedded CPython. CLI adapter only: loading is net/wsgi/app_loader, serving
// net/wsgi/wsgi_handler, the master's worker operations commands/supervisor.
//
// Each worker process starts its own interpreter and imports the app after the fork; the
// master never runs Python. So a reload (SIGHUP, --reload) imports the app afresh, and an
// import error is the worker's traceback: at start-up the server exits 1, on a reload the
// previous workers keep serving.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands/http_serve.hpp"
#include "commands/registry.hpp"
#include "commands/serve_runner.hpp"
#include "net/event_loop.hpp"
#include "net/file_watcher.hpp"
#include "net/wsgi/app_loader.hpp"
#include "net/wsgi/python_runtime.hpp"
#include "net/wsgi/wsgi_handler.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string app;
    std::string chdir;
    std::vector<std::string> python_path;
    int threads = 0;
    std::string mount;
    std::string trusted_proxy;
    WorkerPolicy policy{30, 0, 0};  // gunicorn's defaults: --timeout 30
    bool reload = false;
    std::vector<std::string> reload_extra_files;
    std::vector<std::string> confine_writes;
    ServerOptions server;
};

std::string normalized_mount(std::string m) {
    while (!m.empty() && m.back() == '/') m.pop_back();
    if (!m.empty() && m.front() != '/') throw UsageError("--mount: must start with '/'");
    return m;
}

// --reload: the files of every module the app imported, and the extra ones. A change makes
// the master reload (SIGHUP), which imports the app afresh in new workers.
std::shared_ptr<net::FileWatcher> watch_app_files(const std::vector<std::string>& extra) {
    std::vector<std::string> files = net::wsgi::imported_files();
    files.insert(files.end(), extra.begin(), extra.end());
    auto watcher = std::make_shared<net::FileWatcher>(
        net::EventLoop::current(), files, [](const std::string& path) {
            spdlog::info("{} changed: reloading", path);
            ::kill(::getppid(), SIGHUP);
        });
    spdlog::info("--reload: watching {} files", watcher->size());
    return watcher;
}

// --confine-writes: the app reads and runs what it likes and writes only beneath `dirs` (and
// to /dev/null). None given: not confined, since apps write where they like.
std::optional<sandbox::FsPolicy> writes_policy(const std::vector<std::string>& dirs) {
    if (dirs.empty()) return std::nullopt;
    sandbox::FsPolicy policy{{"/"}, {"/dev/null"}, {"/"}};
    for (const std::string& d : dirs) policy.write.push_back(std::filesystem::absolute(d).string());
    return policy;
}

// --max-requests and its jitter: a count, a billion at most.
const CLI::Range kCountRange(std::uint64_t{0}, std::uint64_t{1'000'000'000});

int run(const Options& o) {
    if (!o.chdir.empty() && ::chdir(o.chdir.c_str()) != 0)
        throw Error(errno_message("--chdir " + o.chdir, errno));
    const net::wsgi::AppSpec spec = net::wsgi::parse_app_spec(o.app);
    net::wsgi::WsgiOptions w;
    w.threads = o.threads;
    w.write_timeout = o.server.limits.write_timeout;
    w.environ.mount = normalized_mount(o.mount);
    w.environ.server_name = o.server.unix_path.empty() ? o.server.host : "localhost";
    w.environ.server_port = std::to_string(o.server.port);
    w.environ.tls = o.server.ssl;
    w.environ.trusted = net::AllowList::parse(o.trusted_proxy);
    w.environ.trust_any = !o.trusted_proxy.empty();
    // Also without --threads: requests whose content is still arriving run on a small pool.
    w.environ.multithread = true;
    w.environ.multiprocess = o.server.workers > 1;

    std::optional<net::wsgi::PythonRuntime> runtime;  // the worker's own, for its whole life
    return run_http_server(
        "wsgi", o.server,
        [&]() -> net::http::Handler {
            runtime.emplace(o.python_path);
            pybind11::object app = net::wsgi::load_app(spec);
            net::http::Handler handler = net::wsgi::make_wsgi_handler(app, w);
            if (!o.reload || current_worker_index() != 0) return handler;
            // The watcher lives as long as the handler, which the loop's server owns.
            std::shared_ptr<net::FileWatcher> watcher = watch_app_files(o.reload_extra_files);
            return
                [handler = std::move(handler), watcher](
                    const net::http::Request& req, net::http::Response& res) { handler(req, res); };
        },
        HttpServeSetup{.stream_request_bodies = true,
                       .policy = o.policy,
                       .worker_exit = [&runtime] { runtime.reset(); },
                       .sandbox = writes_policy(o.confine_writes),
                       // the app may start threads while it is imported: confine before
                       .sandbox_before_make = true});
}

}  // namespace

void register_serve_wsgi(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "wsgi", "Run a Python WSGI application (PEP 3333)",
                              [o] { return run(*o); });
    c->add_option("app", o->app,
                  "MODULE[:NAME] or MODULE:FACTORY() (NAME defaults to application, then app); "
                  "none: a built-in Hello World app")
        ->envname("APP")
        ->type_name("MODULE[:NAME]");
    c->add_option("--chdir", o->chdir, "Change to this directory before loading the app")
        ->envname("CHDIR")
        ->type_name("DIR")
        ->group("WSGI");
    c->add_option("--python-path", o->python_path,
                  "Directory put first on sys.path (repeatable; PYTHONPATH and VIRTUAL_ENV are "
                  "honoured too)")
        ->envname("PYTHON_PATH")
        ->allow_extra_args(false)  // one DIR per --python-path: the app spec may follow
        ->type_name("DIR")
        ->group("WSGI");
    c->add_option("--threads", o->threads,
                  "Run the app on this many threads so a blocking app does not stall other "
                  "connections (0: on the event loop, fastest for apps that never block)")
        ->envname("THREADS")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str()
        ->group("WSGI");
    c->add_option("--mount", o->mount,
                  "URL prefix the app is mounted at: SCRIPT_NAME, the rest is PATH_INFO "
                  "(other paths get 404)")
        ->envname("MOUNT")
        ->type_name("PATH")
        ->group("WSGI");
    c->add_option("--trusted-proxy", o->trusted_proxy,
                  "Addresses/CIDRs (';'-separated) whose X-Forwarded-Proto sets "
                  "wsgi.url_scheme (default: none is believed)")
        ->envname("TRUSTED_PROXY")
        ->type_name("LIST")
        ->group("WSGI");
    c->add_option("--confine-writes", o->confine_writes,
                  "Let the app write only beneath these directories (repeatable; Landlock, "
                  "applied before the app is imported; reading is not restricted)")
        ->envname("CONFINE_WRITES")
        ->allow_extra_args(false)
        ->type_name("DIR")
        ->group("WSGI");
    c->add_option("--timeout", o->policy.timeout,
                  "Kill and replace a worker whose event loop has not come back for this many "
                  "seconds: an app stuck in a request (with --threads the loop stays free, as "
                  "in gunicorn's gthread workers), or that takes longer (and at least 30 s) to "
                  "import the app; 0: never")
        ->envname("TIMEOUT")
        ->type_name("SECONDS")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str()
        ->group("Workers");
    c->add_option("--max-requests", o->policy.max_requests,
                  "Replace a worker gracefully after it served this many requests (its "
                  "replacement accepts first); 0: never")
        ->envname("MAX_REQUESTS")
        ->type_name("N")
        ->check(kCountRange)  // bounds "-3", which a uint64 would take as 2^64-3
        ->capture_default_str()
        ->group("Workers");
    c->add_option("--max-requests-jitter", o->policy.max_requests_jitter,
                  "Add a random 0..N to each worker's --max-requests, so workers are not all "
                  "replaced at once")
        ->envname("MAX_REQUESTS_JITTER")
        ->type_name("N")
        ->check(kCountRange)  // bounds "-3", which a uint64 would take as 2^64-3
        ->capture_default_str()
        ->group("Workers");
    add_bool_flag(*c, "--reload", o->reload, "RELOAD",
                  "Development: reload when a Python file of the app (or a "
                  "--reload-extra-file) changes; an app that no longer imports leaves the "
                  "running workers serving")
        ->group("Workers");
    c->add_option("--reload-extra-file", o->reload_extra_files,
                  "Another file whose change reloads under --reload (repeatable: templates, "
                  "configuration)")
        ->allow_extra_args(false)
        ->type_name("FILE")
        ->group("Workers");
    o->server.add_to(*c, 9090, true, RequestBodies::kStreamed);
    c->footer(
        "Examples:\n"
        "  netius serve wsgi                              # Hello World on http://127.0.0.1:9090/\n"
        "  netius serve wsgi myapp:app --chdir /srv/myapp --workers 2\n"
        "  netius serve wsgi 'web:create_app()' --threads 8 --mount /api\n"
        "  netius serve wsgi app:app --trusted-proxy 127.0.0.1 --proxy-protocol\n"
        "  netius serve wsgi mysite.wsgi --workers 4 --timeout 30 --max-requests 1000\n"
        "  netius serve wsgi app:app --reload             # development: reload on edits\n"
        "\n"
        "Signals: SIGHUP reloads (new workers import the app afresh, then the old ones\n"
        "drain), SIGUSR1 reopens the access log, SIGTERM/SIGINT stop gracefully.");
}

}  // namespace netius::cmd
