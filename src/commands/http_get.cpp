// `netius http get URL...` — the HTTP client as a command (netius' `python -m
// netius.clients.http`, with curl's options and exit codes). CLI adapter only: the work is
// http_get_run.cpp over net::http::HttpClient.
#include "commands/http_get_run.hpp"
#include "commands/registry.hpp"

namespace netius::cmd {

void register_http_get(Cli& cli, CLI::App& http) {
    auto o = std::make_shared<GetOptions>();
    auto* c = cli.add_command(http, "get", "Fetch URLs (concurrently) to stdout or files",
                              [o] { return run_http_get(*o); });
    c->add_option("URL", o->urls, "http:// or https:// URLs (no scheme: http)")
        ->required()
        ->envname("HTTP_URL");
    c->add_option("-o,--output", o->outputs,
                  "Write the Nth URL to the Nth FILE, renamed into place once complete "
                  "('-' for stdout)")
        ->option_text("FILE")
        ->group("Output");
    c->add_flag("-O,--remote-name", o->remote_name,
                "Write to a file named like the URL's last path segment")
        ->group("Output");
    c->add_flag("-i,--include", o->include, "Include the status line and headers in the output")
        ->group("Output");
    c->add_flag("--json", o->json,
                "Print one JSON object per URL (code, status, headers, data or file, error, "
                "message)")
        ->group("Output");
    c->add_flag("-v,--verbose", o->verbose, "Show request and response heads on stderr")
        ->group("Output");
    c->add_flag("-s,--silent", o->silent, "No progress bar (errors are still reported)")
        ->group("Output");
    c->add_flag("--progress,!--no-progress", o->progress,
                "Force the progress bar on or off (default: on for -o/-O when stderr is a "
                "terminal)")
        ->group("Output");
    c->add_flag("--no-decode{false}", o->decode,
                "Send no Accept-Encoding and keep the content as sent (default: gzip, deflate, "
                "br decoded)")
        ->group("Output");
    c->add_option("-H,--header", o->headers,
                  "Extra request field 'Name: value' ('Name:' drops "
                  "a default field); repeatable")
        ->option_text("'NAME: VALUE'")
        ->group("Request");
    c->add_option("-A,--user-agent", o->user_agent, "User-Agent (default netius)")
        ->group("Request");
    c->add_option("-X,--request", o->method, "Request method (default GET)")->group("Request");
    c->add_option("-d,--data", o->data, "Send DATA (or @FILE) with POST")->group("Request");
    c->add_flag("-I,--head", o->head, "Send HEAD: headers only")->group("Request");
    c->add_flag("!--no-follow", o->follow, "Do not follow redirects")->group("Request");
    c->add_option("--max-redirs", o->max_redirects, "Redirects to follow at most")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Request");
    c->add_option("--timeout", o->timeout, "Give up after SECONDS without receiving anything")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Connection");
    c->add_option("--connect-timeout", o->connect_timeout,
                  "SECONDS to connect (every address) and finish the TLS handshake")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Connection");
    c->add_option("-m,--max-time", o->max_time, "SECONDS for the whole transfer (0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c->add_option("--retry", o->retries,
                  "Retry N times on connection errors, time-outs, 408, 429 and 5xx")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c->add_option("--retry-delay", o->retry_delay,
                  "SECONDS between retries (default: 1, doubling; or Retry-After)")
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c->add_flag("-f,--fail", o->fail, "Exit 22 on an HTTP status >= 400 and write no content")
        ->group("Connection");
    using Http = GetOptions::Http;
    auto set_http = [o](Http h) {
        return [o, h] {
            o->http = h;
            o->http_flags |= 1u << static_cast<unsigned>(h);
        };
    };
    c->add_flag_callback("--http2", set_http(Http::k2),
                         "Offer HTTP/2 by ALPN over https, HTTP/1.1 when the server does not "
                         "pick it (the default)")
        ->group("Connection");
    c->add_flag_callback("--http1.1", set_http(Http::k11),
                         "Speak HTTP/1.1 only (ALPN offers only http/1.1)")
        ->group("Connection");
    c->add_flag_callback("--http2-prior-knowledge", set_http(Http::k2PriorKnowledge),
                         "Speak HTTP/2 on http:// from the first byte, without Upgrade (the "
                         "server must expect it); on https:// as --http2")
        ->group("Connection");
    c->add_flag("-4,--ipv4", o->ipv4, "Resolve and connect over IPv4 only")->group("Connection");
    c->add_flag("-6,--ipv6", o->ipv6, "Resolve and connect over IPv6 only")->group("Connection");
    c->add_option("--max-connections", o->max_connections,
                  "HTTP/1.1 connections per host at once (requests beyond wait to reuse one; "
                  "HTTP/2 carries them all on one)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256))
        ->group("Connection");
    c->add_option("--nameserver", o->nameservers,
                  "DNS server IP[:PORT] (repeatable; ';'-separated in NAMESERVERS); default: "
                  "/etc/resolv.conf")
        ->envname("NAMESERVERS")
        ->delimiter(';')
        ->option_text("IP[:PORT]")
        ->group("Connection");
    c->add_option("--cacert", o->cacert,
                  "Trust the CA certificates in FILE (PEM) instead of "
                  "the system's")
        ->envname("CA_FILE")
        ->option_text("FILE")
        ->group("TLS");
    c->add_flag("-k,--insecure", o->insecure, "Do not verify the server's certificate")
        ->group("TLS");
    c->footer(
        "Examples:\n"
        "  netius http get http://127.0.0.1:9090/              # body to stdout\n"
        "  netius http get -o page.html https://example.com/   # atomic file, progress bar\n"
        "  netius http get --json http://a/1 http://a/2        # one JSON object per URL\n"
        "  netius http get -f --retry 3 -O https://example.com/file.tar.gz\n"
        "  netius http get -v https://example.com/a https://example.com/b  # one HTTP/2 "
        "connection\n"
        "\n"
        "Exit status (curl's numbers): 0 ok; 1 other failure; 2 usage; 3 bad URL; 6 DNS;\n"
        "7 connect; 8 malformed response; 18 connection closed mid-content; 22 --fail and a\n"
        "status >= 400; 23 write error; 28 timeout; 35 TLS handshake; 47 too many redirects;\n"
        "52 empty reply; 56 connection lost mid-response; 60 certificate not trusted;\n"
        "61 bad content coding; 130 interrupted. With several URLs: the last failure's.");
}

}  // namespace netius::cmd
