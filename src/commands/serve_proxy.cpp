// `netius serve proxy` — a reverse proxy (netius' proxy_r, with nginx's semantics; issue 19):
// routes by Host and path prefix to pools of upstreams, rewrites the forwarding fields, and
// streams both ways. The work is src/net/proxy; this file wires the options to it.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>

#include "commands/config_file.hpp"
#include "commands/http_serve.hpp"
#include "commands/proxy_json.hpp"
#include "commands/proxy_upstream_options.hpp"
#include "commands/registry.hpp"
#include "net/proxy/proxy_handler.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

struct Options {
    ServerOptions server;
    std::string to;
    std::vector<std::string> routes, aliases, redirects, auth;
    std::uint64_t sts = 0;
    std::string strategy = "robin";
    std::string trusted_proxy;
    std::string proxy_json = "proxy.json";
    UpstreamOptions upstreams;
};

net::proxy::RouteConfig route_config(const Options& o) {
    net::proxy::RouteConfig config;
    // netius reads ./proxy.json when it exists; options given here come after it and win.
    if (std::filesystem::exists(o.proxy_json)) {
        load_netius_json(o.proxy_json, config);
        spdlog::info("proxy: routes from {}", o.proxy_json);
    }
    if (!o.to.empty()) {
        std::erase_if(config.routes, [](const auto& r) { return r.host.empty(); });
        config.routes.push_back({"", "", net::proxy::parse_upstreams(o.to)});
    }
    for (const std::string& spec : o.routes) config.routes.push_back(net::proxy::parse_route(spec));
    for (const std::string& spec : o.aliases) {
        auto [alias, host] = net::proxy::parse_assignment(spec, "--alias");
        config.aliases.insert_or_assign(alias, host);
    }
    for (const std::string& spec : o.redirects) {
        auto [host, target] = net::proxy::parse_assignment(spec, "--redirect");
        config.redirects.insert_or_assign(host, target);
    }
    for (const std::string& spec : o.auth) {
        auto [host, file] = net::proxy::parse_assignment(spec, "--auth");
        try {
            host = net::proxy::parse_route_host(host);
        } catch (const UsageError& e) {
            throw UsageError("--auth '{}': {}", spec, e.what());
        }
        config.auth.insert_or_assign(host, file);
    }
    if (o.sts) config.sts = o.sts;
    if (o.strategy != "robin" || config.strategy == net::proxy::Strategy::kRobin)
        config.strategy = net::proxy::parse_strategy(o.strategy);
    if (config.routes.empty())
        throw UsageError("no upstream: give --to URL or --route HOST=URL (or a proxy.json)");
    return config;
}

// A `[[serve.proxy.route]]` table as a --route value: `host`, `prefix` (optional) and `to` (a
// URL, "URL,URL" or an array of URLs).
std::string route_from_table(const std::map<std::string, std::vector<std::string>>& keys) {
    for (const auto& [key, values] : keys)
        if (key != "host" && key != "prefix" && key != "to")
            throw UsageError("unknown key '{}' (host, prefix, to)", key);
    auto text = [&keys](const char* key) -> std::string {
        auto it = keys.find(key);
        if (it == keys.end()) return {};
        if (it->second.size() > 1) throw UsageError("'{}' takes one value", key);
        return it->second.empty() ? std::string() : it->second.front();
    };
    const std::string host = text("host"), prefix = text("prefix");
    if (host.empty()) throw UsageError("no 'host' (a name or *.example.com)");
    net::proxy::parse_route_host(host);
    if (!prefix.empty() && prefix.front() != '/')
        throw UsageError("prefix '{}' does not start with '/'", prefix);
    std::string to;
    if (auto it = keys.find("to"); it != keys.end())
        for (const std::string& url : it->second) to += (to.empty() ? "" : ",") + url;
    if (to.empty()) throw UsageError("no 'to' (a URL or an array of URLs)");
    net::proxy::parse_upstreams(to);
    return host + prefix + "=" + to;
}

// What a worker reads once it serves: the resolver's files (c-ares reads /etc/hosts at each
// lookup) and, for https upstreams, the CA store (OpenSSL reads hashed certificates as it
// verifies). Paths that do not exist here are left out.
sandbox::FsPolicy reads_only(const net::proxy::RouteTable& routes, const std::string& cacert) {
    std::vector<std::string> paths = {"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf"};
    bool https = false;
    for (const auto& route : routes.config().routes)
        for (const auto& url : route.upstreams) https = https || url.tls();
    if (https) {
        for (const char* p : {"/etc/ssl", "/usr/lib/ssl", "/usr/share/ca-certificates"})
            paths.push_back(p);
        if (!cacert.empty()) paths.push_back(std::filesystem::absolute(cacert).string());
    }
    sandbox::FsPolicy policy;
    for (const std::string& p : paths)
        if (std::filesystem::exists(p)) policy.read.push_back(p);
    return policy;
}

int run(const Options& o) {
    auto routes = std::make_shared<const net::proxy::RouteTable>(route_config(o));
    const net::AllowList trusted = net::AllowList::parse(o.trusted_proxy);
    net::proxy::ProxyOptions p;
    p.routes = routes;
    // Read here, before the workers start and confine themselves (reads_only has no need of
    // them); a reload reads them again.
    p.auth = net::proxy::AuthUsers::load(routes->config().auth);
    p.forwarding.trusted = &trusted;
    p.tls = o.server.ssl;
    p.port = o.server.port;
    p.log_upstreams = !o.server.access_log.empty();  // the upstream text only when it is read
    o.upstreams.apply(p);
    return run_http_server(
        "proxy", o.server,
        [&p](net::EventLoop& loop) { return net::proxy::make_proxy_handler(&loop, p); },
        // Content still arriving streams on to the upstream (front_upload.hpp).
        HttpServeSetup{.stream_request_bodies = true,
                       .tunnel_upgrades = true,  // WebSocket
                       .sandbox = reads_only(*routes, o.upstreams.cacert),
                       .drops_root_by_default = true});
}

}  // namespace

void register_serve_proxy(Cli& cli, CLI::App& serve) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(serve, "proxy",
                              "Reverse proxy: route by host and path to pools of upstream servers",
                              [o] { return run(*o); });
    c->add_option("--to", o->to,
                  "The default upstream pool: URL[,URL...] (http://, https:// or unix:/path)")
        ->type_name("URL[,URL...]")
        ->group("Proxy");
    auto* route =
        c->add_option("--route", o->routes,
                      "HOST[/PREFIX]=URL[,URL...]: requests for HOST (exact or *.example.com) "
                      "under PREFIX go to these upstreams; the longest match wins (repeatable; "
                      "in a --config file also [[serve.proxy.route]] tables of host, prefix, to)")
            ->allow_extra_args(false)
            ->type_name("ROUTE")
            ->group("Proxy");
    set_table_form(*route, route_from_table);
    c->add_option("--alias", o->aliases, "ALIAS=HOST: route ALIAS as HOST (repeatable)")
        ->allow_extra_args(false)
        ->type_name("ALIAS=HOST")
        ->group("Proxy");
    c->add_option("--redirect", o->redirects,
                  "HOST=TARGET: answer HOST with a redirect to TARGET, path and query kept "
                  "(301; 308 for methods other than GET and HEAD) (repeatable)")
        ->allow_extra_args(false)
        ->type_name("HOST=URL")
        ->group("Proxy");
    c->add_option("--auth", o->auth,
                  "HOST=FILE: requests for HOST (or *.example.com) need HTTP Basic credentials "
                  "of a user in FILE ('user:hash' lines, hashes from 'netius auth generate'); "
                  "the Authorization field is not passed on (repeatable)")
        ->allow_extra_args(false)
        ->type_name("HOST=FILE")
        ->group("Proxy");
    c->add_option("--sts", o->sts, "Strict-Transport-Security max-age for TLS responses (0: none)")
        ->type_name("SECONDS")
        ->group("Proxy");
    c->add_option("--strategy", o->strategy,
                  "How a pool's upstream is chosen: robin (in turn) or smart (fewest requests "
                  "in flight)")
        ->check(CLI::IsMember({"robin", "smart"}))
        ->capture_default_str()
        ->group("Proxy");
    c->add_option("--trusted-proxy", o->trusted_proxy,
                  "Addresses/CIDRs (';'-separated) whose X-Forwarded-* and Forwarded fields are "
                  "kept and appended to (others' are replaced)")
        ->type_name("LIST")
        ->group("Proxy");
    c->add_option("--proxy-json", o->proxy_json,
                  "netius' proxy.json (hosts, alias, redirect, forward, sts, strategy), read when "
                  "it exists; options given here win")
        ->type_name("FILE")
        ->capture_default_str()
        ->group("Proxy");
    o->upstreams.add_to(*c);
    o->server.add_to(*c, 9090, true, RequestBodies::kStreamed);  // uploads stream on
    c->footer(
        "Examples:\n"
        "  netius serve proxy --to http://127.0.0.1:8000          # everything to one app\n"
        "  netius serve proxy --port 8080 --to http://127.0.0.1:8001,http://127.0.0.1:8002 \\\n"
        "      --route 'api.example.com=http://127.0.0.1:9001' \\\n"
        "      --route 'example.com/static=http://127.0.0.1:9002' --strategy smart\n"
        "  netius serve proxy --ssl --key-file k.pem --cer-file c.pem --sts 31536000 \\\n"
        "      --redirect old.example.com=https://example.com --to http://127.0.0.1:8000");
}

}  // namespace netius::cmd
