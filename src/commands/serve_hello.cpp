// `netius serve hello [--message TEXT]` — the smallest HTTP server: every method and path get
// 200 and the message (netius-spec §4); the benchmark target of bench/http.sh.
#include "commands/http_serve.hpp"
#include "commands/registry.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string message = "Hello World";
    ServerOptions server;
};

int run(const Options& o) {
    return run_http_server(
        "hello", o.server,
        [&o] {
            return [&o](const net::http::Request&, net::http::Response& res) {
                res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
                res.body = o.message;
            };
        },
        HttpServeSetup{.sandbox = sandbox::FsPolicy{},  // it touches no files
                       .drops_root_by_default = true});
}

}  // namespace

void register_serve_hello(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "hello", "Answer every request with 200 and a message",
                              [o] { return run(*o); });
    c->add_option("--message", o->message, "Response body (UTF-8)")
        ->envname("MESSAGE")
        ->capture_default_str();
    o->server.add_to(*c, 9090);
    c->footer(
        "Examples:\n"
        "  netius serve hello                          # http://127.0.0.1:9090/\n"
        "  netius serve hello --port 8080 --workers 2 --message 'Olá'\n"
        "  curl -i http://127.0.0.1:9090/");
}

}  // namespace netius::cmd
