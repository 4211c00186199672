// `netius serve wsgi [MODULE[:NAME]]` — runs a Python WSGI application (PEP 3333) on the HTTP
// engine with an embedded CPython. CLI adapter only: loading is net/wsgi/app_loader, serving
// net/wsgi/wsgi_handler.
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "commands/http_serve.hpp"
#include "commands/registry.hpp"
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
    ServerOptions server;
};

std::string normalized_mount(std::string m) {
    while (!m.empty() && m.back() == '/') m.pop_back();
    if (!m.empty() && m.front() != '/') throw UsageError("--mount: must start with '/'");
    return m;
}

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

    // Loaded before binding: an import error is its traceback and exit 1. Workers are forked
    // from this interpreter (each then runs its own: PythonRuntime::after_fork_child).
    net::wsgi::PythonRuntime runtime(o.python_path);
    pybind11::object app = net::wsgi::load_app(spec);
    const pid_t master = ::getpid();
    return run_http_server(
        "wsgi", o.server,
        [&] {
            if (::getpid() != master) net::wsgi::PythonRuntime::after_fork_child();
            return net::wsgi::make_wsgi_handler(app, w);
        },
        /*stream_request_bodies=*/true);
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
    o->server.add_to(*c, 9090);
    c->footer(
        "Examples:\n"
        "  netius serve wsgi                              # Hello World on http://127.0.0.1:9090/\n"
        "  netius serve wsgi myapp:app --chdir /srv/myapp --workers 2\n"
        "  netius serve wsgi 'web:create_app()' --threads 8 --mount /api\n"
        "  netius serve wsgi app:app --trusted-proxy 127.0.0.1 --proxy-protocol");
}

}  // namespace netius::cmd
