#include "commands/relay_options.hpp"

#include <charconv>
#include <cmath>

#include "commands/server_options.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

std::chrono::seconds seconds_of(double s) {
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(s)));
}

// "user:password" from the first line that is neither blank nor a '#' comment.
void read_smarthost_auth(const std::string& path, net::smtp::SmarthostOptions& out) {
    std::string_view text;
    const std::string data = read_input(path);
    text = data;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            throw Error("{}: expected a 'user:password' line", path);
        out.user = std::string(line.substr(0, colon));
        out.password = std::string(line.substr(colon + 1));
        return;
    }
    throw Error("{}: no 'user:password' line", path);
}

}  // namespace

void RelayOptions::add_to(CLI::App& app) {
    const char* g = "Relay";
    app.add_option("--queue-dir", queue_dir, "Directory of the outbound queue (created 0700)")
        ->envname("QUEUE_DIR")
        ->type_name("DIR")
        ->capture_default_str()
        ->group(g);
    app.add_option("--relay-networks", relay_networks,
                   "Clients that may relay without AUTH: addresses/CIDR, ';'-separated "
                   "(default: none; authenticated users always may)")
        ->envname("RELAY_NETWORKS")
        ->type_name("LIST")
        ->group(g);
    app.add_option("--dkim", dkim,
                   "Sign outbound mail whose From domain is DOMAIN with KEYFILE (RSA or "
                   "Ed25519 PEM) under SELECTOR (repeatable)")
        ->envname("DKIM_KEYS")
        ->delimiter(';')
        ->type_name("DOMAIN:SELECTOR:KEYFILE")
        ->group(g);
    app.add_option("--postmaster", postmaster,
                   "From address of bounces (default: postmaster@<first --domain>)")
        ->envname("POSTMASTER")
        ->type_name("ADDR")
        ->group(g);
    app.add_flag("--list-queue", list_queue, "Print the queue and exit")->group(g);
    app.add_option("--max-queue-time", max_queue_time,
                   "Bounce what is still undelivered after SECONDS (default: 5 days)")
        ->envname("MAX_QUEUE_TIME")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->group(g);
    app.add_option("--retry-min", retry_min, "First retry delay after a temporary failure")
        ->envname("RETRY_MIN")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->capture_default_str()
        ->group(g);
    app.add_option("--retry-max", retry_max, "Longest delay between retries (doubling up to it)")
        ->envname("RETRY_MAX")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->capture_default_str()
        ->group(g);
    const char* o = "Outbound";
    app.add_option("--smarthost", smarthost,
                   "Send everything through HOST:PORT (submission, STARTTLS) instead of MX")
        ->envname("SMARTHOST")
        ->type_name("HOST:PORT")
        ->group(o);
    app.add_option("--smarthost-auth-file", smarthost_auth_file,
                   "AUTH to the smarthost with the 'user:password' line of FILE")
        ->envname("SMARTHOST_AUTH_FILE")
        ->type_name("FILE")
        ->group(o);
    app.add_option("--mx-port", mx_port, "Deliver to this port of the MX hosts")
        ->envname("MX_PORT")
        ->capture_default_str()
        ->group(o);
    app.add_option("--nameserver", nameservers,
                   "DNS server for MX lookups, IP[:PORT] (repeatable; ';'-separated in "
                   "NAMESERVERS); default: /etc/resolv.conf")
        ->envname("NAMESERVERS")
        ->delimiter(';')
        ->type_name("IP[:PORT]")
        ->group(o);
    add_bool_flag(app, "--tls-verify", tls_verify, "TLS_VERIFY",
                  "Require STARTTLS with a valid certificate (default: opportunistic)")
        ->group(o);
    app.add_option("--tls-ca-file", tls_ca_file, "Extra CA certificates (PEM) for --tls-verify")
        ->envname("TLS_CA_FILE")
        ->type_name("FILE")
        ->group(o);
    app.add_option("--connection-cache-time", connection_cache_time,
                   "Keep a finished outbound connection this long for the next message to the "
                   "same destination (0: close it at once)")
        ->envname("CONNECTION_CACHE_TIME")
        ->check(CLI::Range(0.0, 3600.0))
        ->type_name("SECONDS")
        ->capture_default_str()
        ->group(o);
}

net::relay::RetryPolicy RelayOptions::retry_policy() const {
    net::relay::RetryPolicy p;
    p.first = seconds_of(retry_min);
    p.cap = seconds_of(std::max(retry_max, retry_min));
    p.max_age = seconds_of(max_queue_time);
    return p;
}

net::smtp::DelivererOptions RelayOptions::deliverer_options(const std::string& helo) const {
    net::smtp::DelivererOptions d;
    d.helo_name = helo;
    d.resolver.nameservers = nameservers;
    d.mx_port = mx_port;
    d.tls_verify = tls_verify;
    d.ca_file = tls_ca_file;
    d.idle_timeout = std::chrono::milliseconds(std::llround(connection_cache_time * 1000));
    if (!smarthost.empty()) {
        net::smtp::SmarthostOptions s;
        const std::size_t colon = smarthost.rfind(':');
        s.host = smarthost.substr(0, colon);
        if (colon != std::string::npos) {
            const std::string port = smarthost.substr(colon + 1);
            auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), s.port);
            if (ec != std::errc() || p != port.data() + port.size() || s.port == 0)
                throw UsageError("--smarthost: bad port in '{}'", smarthost);
        }
        if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']')
            s.host = s.host.substr(1, s.host.size() - 2);
        if (s.host.empty()) throw UsageError("--smarthost: expected HOST:PORT");
        if (!smarthost_auth_file.empty()) read_smarthost_auth(smarthost_auth_file, s);
        d.smarthost = std::move(s);
    } else if (!smarthost_auth_file.empty()) {
        throw UsageError("--smarthost-auth-file needs --smarthost");
    }
    return d;
}

std::string RelayOptions::postmaster_address(const std::vector<std::string>& domains,
                                             const std::string& hostname) const {
    if (!postmaster.empty()) return postmaster;
    return "postmaster@" + (domains.empty() ? hostname : domains.front());
}

}  // namespace netius::cmd
