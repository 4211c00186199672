// `netius dns query NAME [TYPE...]` — netius' `python -m netius.clients.dns` (DNS_NAME,
// DNS_TYPE, DNS_NS) with dig's reach. CLI adapter only: the queries are net::Resolver::query()
// on one event loop, concurrently; the output is net/dns_record.hpp's and dns_query_output's.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "commands/dns_query_output.hpp"
#include "commands/registry.hpp"
#include "net/event_loop.hpp"
#include "net/resolver.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

struct Options {
    std::string name;
    std::vector<std::string> types;
    std::optional<std::string> reverse;
    std::string server;
    bool short_output = false;
    bool json = false;
    double timeout = 2;
    int retries = 1;
};

// Whether `values` were given on the command line rather than taken from the environment
// variable `env` (CLI11 fills an unset option from it). Flags beat the environment: with -x,
// DNS_NAME and DNS_TYPE from the environment are unused, but NAME or TYPE given is a mistake.
bool on_command_line(const std::vector<std::string>& values, const char* env) {
    const char* value = std::getenv(env);
    return !values.empty() && !(value && values == std::vector<std::string>{value});
}

int run(const Options& o) {
    std::string name = o.name;
    std::vector<net::DnsType> types;
    if (o.reverse) {
        const auto names = name.empty() ? std::vector<std::string>{} : std::vector{name};
        if (on_command_line(names, "DNS_NAME") || on_command_line(o.types, "DNS_TYPE"))
            throw UsageError("-x takes no NAME or TYPE (it asks for the PTR record)");
        auto reversed = net::reverse_name(*o.reverse);
        if (!reversed) throw UsageError("-x '{}' is not an IPv4 or IPv6 address", *o.reverse);
        name = *reversed;
        types.push_back(net::DnsType::kPtr);
    } else {
        if (name.empty()) throw UsageError("NAME is required (or -x ADDR)");
        for (const std::string& t : o.types) types.push_back(*net::parse_dns_type(t));
        if (types.empty()) types.push_back(net::DnsType::kA);
    }
    net::ResolverOptions ro;
    if (!o.server.empty()) ro.nameservers = {o.server};
    ro.timeout = std::chrono::milliseconds(static_cast<long>(o.timeout * 1000));
    ro.tries = o.retries + 1;
    ro.report_server_errors = true;  // one server's SERVFAIL or REFUSED is the answer, as dig's

    net::EventLoop loop;
    std::optional<net::Resolver> resolver;
    try {
        resolver.emplace(&loop, ro);
    } catch (const Error& e) {
        throw UsageError("--server: {}", e.what());
    }
    // Every query is bounded by c-ares (timeout, doubling, per try): the loop always ends.
    std::vector<net::DnsQueryResult> results(types.size());
    std::size_t remaining = types.size();
    for (std::size_t i = 0; i < types.size(); ++i)
        resolver->query(name, types[i], [&, i](net::DnsQueryResult r) {
            results[i] = std::move(r);
            if (--remaining == 0) loop.quit();
        });
    loop.loop();

    std::vector<net::ResourceRecord> records;
    int status = 0;
    for (const net::DnsQueryResult& r : results) {
        records.insert(records.end(), r.records.begin(), r.records.end());
        if (r.status == net::DnsQueryStatus::kOk) continue;
        std::fprintf(stderr, "netius: dns query: %s\n", r.error.c_str());
        status = exit_status(r.status);
    }
    std::string out;
    if (o.json) {
        out = records_json(records);
    } else if (o.short_output) {
        for (const net::ResourceRecord& r : records) out += net::rdata_text(r) + "\n";
    } else {
        out = net::records_text(records);
    }
    write_stdout(out);
    if (status != 0) throw ExitStatus{status};
    return 0;
}

}  // namespace

void register_dns_query(Cli& cli, CLI::App& dns) {
    auto o = std::make_shared<Options>();
    auto* c = cli.add_command(dns, "query", "Ask a DNS server for records (like dig)",
                              [o] { return run(*o); });
    c->add_option("NAME", o->name, "Domain name, queried as given (no search domains)")
        ->envname("DNS_NAME");
    c->add_option("TYPE", o->types,
                  "Record types: A (default), AAAA, MX, TXT, NS, CNAME, SOA, PTR, SRV, CAA; "
                  "any case")
        ->envname("DNS_TYPE")
        ->check([](const std::string& v) {
            return net::parse_dns_type(v) ? std::string() : "unknown record type '" + v + "'";
        });
    c->add_option("-x,--reverse", o->reverse,
                  "Reverse lookup: the PTR record of an IPv4 or IPv6 address")
        ->option_text("ADDR");
    c->add_option("--server", o->server,
                  "DNS server IP[:PORT] ([::1]:53 for IPv6); default: /etc/resolv.conf")
        ->envname("DNS_NS")
        ->option_text("IP[:PORT]");
    auto* json = c->add_flag("--json", o->json, "Print one JSON array of the records");
    c->add_flag("--short", o->short_output, "Print only each record's data, one a line")
        ->excludes(json);
    c->add_option("--timeout", o->timeout,
                  "SECONDS to wait for an answer to the first try; each retry waits twice as "
                  "long as the one before")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 60.0));
    c->add_option("--retries", o->retries,
                  "Tries after the first, when no answer came (over UDP; TCP when an answer is "
                  "truncated)")
        ->capture_default_str()
        ->check(CLI::Range(0, 5));
    c->footer(
        "Output: one line per record, 'NAME  TTL  TYPE  DATA', CNAMEs leading to the answer\n"
        "first. DATA (alone with --short): an address; a name (NS, CNAME, PTR); MX as netius\n"
        "prints it, 'exchange => preference'; TXT as quoted strings; SOA 'mname rname serial\n"
        "refresh retry expire minimum'; SRV 'priority weight port target'; CAA 'flags tag\n"
        "\"value\"'. Names have no trailing dot.\n"
        "\n"
        "Examples:\n"
        "  netius dns query example.com                    # A records\n"
        "  netius dns query example.com MX TXT --short     # two queries at once, data only\n"
        "  netius dns query -x 192.0.2.1 --server 127.0.0.1:5353\n"
        "  DNS_NAME=example.com DNS_TYPE=mx netius dns query   # netius' names\n"
        "\n"
        "Exit status: 0 records found; 1 other failure; 2 usage; 3 NXDOMAIN (no such name);\n"
        "4 NODATA (the name has no record of the type); 5 no answer (timed out or no server\n"
        "reachable); 6 server failure (SERVFAIL, REFUSED, FORMERR, NOTIMP or a malformed\n"
        "answer). With several types: the last failure's.");
}

}  // namespace netius::cmd
