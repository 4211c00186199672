#include "commands/http_serve.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "commands/serve_runner.hpp"
#include "net/proxy_first_transport.hpp"
#include "net/tls_context.hpp"
#include "net/tls_transport.hpp"

namespace netius::cmd {
namespace {

net::http::HttpServerOptions http_options(const ServerOptions& o) {
    net::http::HttpServerOptions h;
    h.limits = o.limits;
    h.keep_alive = o.keep_alive;
    h.encoding = net::http::parse_response_encoding(o.encoding).value();  // checked by CLI11
    h.allowed = net::AllowList::parse(o.allowed);
    h.access_log = o.access_log;
    h.proxy_protocol = o.proxy_protocol;
    h.http2 = o.http2;
    h.http2.enabled = o.http2.enabled && !o.safe;
    h.tcp.backlog = o.backlog;
    if (o.ssl) h.transport = net::make_tls_server_factory(o.tls_context(o.http_alpn()));
    // A balancer sends the PROXY header before the TLS ClientHello.
    if (o.ssl && o.proxy_protocol) h.transport = net::proxy_header_first(std::move(h.transport));
    return h;
}

class HttpService final : public Service {
  public:
    HttpService(net::EventLoop& loop, UniqueFd listener, const net::http::HttpServerOptions& h,
                net::http::Handler handler)
        : server_(&loop, std::move(listener), h, std::move(handler)) {}
    void start() override { server_.start(); }
    void shutdown(std::chrono::milliseconds grace, std::function<void()> done) override {
        server_.shutdown(grace, std::move(done));
    }
    std::size_t connection_count() const override { return server_.connection_count(); }
    void reopen_logs() override { server_.reopen_access_log(); }

  private:
    net::http::HttpServer server_;
};

}  // namespace

int run_http_server(const std::string& name, const ServerOptions& o,
                    const std::function<net::http::Handler()>& make_handler, HttpServeSetup setup) {
    return run_http_server(
        name, o, [&](net::EventLoop&) { return make_handler(); }, std::move(setup));
}

int run_http_server(const std::string& name, const ServerOptions& o,
                    const std::function<net::http::Handler(net::EventLoop& loop)>& make_handler,
                    HttpServeSetup setup) {
    net::http::HttpServerOptions h = http_options(o);
    h.stream_request_bodies = setup.stream_request_bodies;
    h.tunnel_upgrades = setup.tunnel_upgrades;
    ServiceInfo info{name, o.ssl ? "https" : "http", 9090};
    info.policy = setup.policy;
    info.worker_exit = std::move(setup.worker_exit);
    info.sandbox = std::move(setup.sandbox);
    info.sandbox_before_make = setup.sandbox_before_make;
    info.drops_root_by_default = setup.drops_root_by_default;
    if (!o.access_log.empty() && o.access_log != "-") {
        const std::filesystem::path log = std::filesystem::absolute(o.access_log);
        info.log_files.push_back(log.string());
        // SIGUSR1 reopens the access log: after rotation that creates a file in its directory.
        if (info.sandbox) info.sandbox->write.push_back(log.parent_path().string());
    }
    return run_service(info, o, [&](net::EventLoop& loop, UniqueFd listener) {
        return std::make_unique<HttpService>(loop, std::move(listener), h, make_handler(loop));
    });
}

}  // namespace netius::cmd
