#include "commands/proxy_json.hpp"

#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

using net::proxy::Route;
using nlohmann::json;

// Reads one proxy.json; every error names the file and the key ("hosts.example.com").
class Reader {
  public:
    explicit Reader(const std::string& path) : path_(path) {}

    [[noreturn]] void fail(const std::string& key, std::string_view what) const {
        throw Error("{}: {}: {}", path_, key, what);
    }

    const std::string& text(const json& v, const std::string& key) const {
        if (!v.is_string() || v.get_ref<const std::string&>().empty()) fail(key, "expected text");
        return v.get_ref<const std::string&>();
    }

    // A URL or a list of URLs (netius' tuple) as a pool.
    std::vector<net::http::Url> pool(const json& v, const std::string& key) const {
        std::vector<net::http::Url> urls;
        auto add = [&](const json& url) {
            if (!url.is_string()) fail(key, "expected a URL or a list of URLs");
            try {
                for (auto& u : net::proxy::parse_upstreams(url.get<std::string>()))
                    urls.push_back(std::move(u));
            } catch (const UsageError& e) {
                fail(key, e.what());
            }
        };
        if (v.is_array()) {
            if (v.empty()) fail(key, "an empty list of URLs");
            for (const json& url : v) add(url);
        } else {
            add(v);
        }
        return urls;
    }

    std::string host(const std::string& name, const std::string& key) const {
        try {
            return net::proxy::parse_route_host(name);
        } catch (const UsageError& e) {
            fail(key, e.what());
        }
    }

    const json& object(const json& v, const std::string& key) const {
        if (!v.is_object()) fail(key, "expected an object");
        return v;
    }

    // netius' redirect forms: "target", [target], [target, proto], [target, proto, path].
    std::string redirect(const json& v, const std::string& key) const {
        if (v.is_string()) return text(v, key);
        if (!v.is_array() || v.empty() || v.size() > 3)
            fail(key, "expected \"target\" or [target, proto[, path]]");
        std::string target = text(v[0], key);
        if (v.size() >= 2) {
            const std::string& proto = text(v[1], key);
            if (proto != "http" && proto != "https") fail(key, "the protocol is http or https");
            target = proto + "://" + target;
        }
        if (v.size() == 3) {
            const std::string& path = text(v[2], key);
            if (path.front() != '/') fail(key, "the path starts with '/'");
            target += path;
        }
        return target;
    }

  private:
    const std::string& path_;
};

}  // namespace

void load_netius_json(const std::string& path, net::proxy::RouteConfig& config) {
    const std::string content = read_input(path);
    json doc;
    try {
        doc = json::parse(content);
    } catch (const json::exception& e) {
        throw Error("{}: {}", path, e.what());
    }
    if (!doc.is_object()) throw Error("{}: expected one JSON object", path);
    const Reader r(path);
    auto get = [&doc](const char* key) -> const json* {
        auto it = doc.find(key);
        return it == doc.end() || it->is_null() ? nullptr : &*it;
    };

    bool has_default = false;
    std::vector<Route> defaults;
    if (const json* hosts = get("hosts")) {
        for (const auto& [name, value] : r.object(*hosts, "hosts").items()) {
            const std::string key = "hosts." + name;
            Route route;
            if (name == "default") {
                has_default = true;
            } else {
                route.host = r.host(name, key);
            }
            route.upstreams = r.pool(value, key);
            (route.host.empty() ? defaults : config.routes).push_back(std::move(route));
        }
    }
    if (const json* forward = get("forward"); forward && !has_default) {
        Route route;
        route.upstreams = r.pool(*forward, "forward");
        defaults.push_back(std::move(route));
    }
    for (Route& route : defaults) config.routes.push_back(std::move(route));

    if (const json* alias = get("alias")) {
        for (const auto& [name, value] : r.object(*alias, "alias").items()) {
            const std::string key = "alias." + name;
            config.aliases.emplace(r.host(name, key), r.host(r.text(value, key), key));
        }
    }
    if (const json* redirect = get("redirect")) {
        for (const auto& [name, value] : r.object(*redirect, "redirect").items()) {
            const std::string key = "redirect." + name;
            config.redirects.emplace(r.host(name, key), r.redirect(value, key));
        }
    }
    if (const json* sts = get("sts")) {
        // JSON's non-negative integers are the unsigned ones; not -1, 1.5 or "60".
        if (!sts->is_number_unsigned()) r.fail("sts", "expected a whole number of seconds");
        config.sts = sts->get<std::uint64_t>();
    }
    if (const json* strategy = get("strategy")) {
        try {
            config.strategy = net::proxy::parse_strategy(r.text(*strategy, "strategy"));
        } catch (const UsageError& e) {
            r.fail("strategy", e.what());
        }
    }
}

}  // namespace netius::cmd
