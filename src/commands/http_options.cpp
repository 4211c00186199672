#include "commands/http_options.hpp"

namespace netius::cmd {
namespace {

using Kind = BodyArg::Kind;

// An option whose every occurrence reaches `each` at once, in command-line order among the
// others (CLI11 would gather each option's values apart): the body options, whose order makes
// the content, and --json, whose word after it may be a URL.
CLI::Option* add_ordered(CLI::App& c, const std::string& names, const std::string& help,
                         std::function<void(const std::vector<std::string>&)> each) {
    auto self = std::make_shared<CLI::Option*>(nullptr);
    CLI::Option* opt = c.add_option_function<std::vector<std::string>>(
        names,
        [self, each = std::move(each)](const std::vector<std::string>& values) {
            each(values);
            (*self)->clear();  // the next occurrence brings only its own value
        },
        help);
    *self = opt;
    return opt->trigger_on_parse()->allow_extra_args(false);
}

void add_body_options(CLI::App& c, const std::shared_ptr<HttpOptions>& o, CLI::Option* url) {
    auto body = [o](Kind kind) {
        return [o, kind](const std::vector<std::string>& values) {
            for (const std::string& v : values) o->body.push_back({kind, v});
        };
    };
    add_ordered(c, "-d,--data",
                "Send DATA, or @FILE's content without its CR and LF (@-: standard input); "
                "several are joined with '&'; Content-Type: application/x-www-form-urlencoded",
                body(Kind::kData))
        ->option_text("DATA|@FILE")
        ->group("Content");
    add_ordered(c, "--data-binary",
                "Send DATA, or @FILE's bytes as they are, streamed (@-: standard input, "
                "chunked); joined with the other data options by '&'",
                body(Kind::kBinary))
        ->option_text("DATA|@FILE")
        ->group("Content");
    add_ordered(c, "--data-raw", "Send DATA as it is ('@' is not special)", body(Kind::kRaw))
        ->option_text("DATA")
        ->group("Content");
    add_ordered(c, "--json",
                "With JSON DATA, @FILE or @-: send it (several concatenated) with Content-Type "
                "and Accept: application/json, as curl. Alone or before a URL: print one JSON "
                "object per URL (code, status, headers, data or file, error, message)",
                [o, url](const std::vector<std::string>& values) {
                    const std::string v = values.empty() ? std::string() : values.front();
                    if (is_json_content(v)) {
                        o->body.push_back({Kind::kJson, v});
                    } else {
                        o->json = v != "false";
                        if (!v.empty() && v != "true" && v != "false") {
                            url->add_result(v);
                            o->json_urls.push_back(v);
                        }
                    }
                })
        ->expected(0, 1)
        ->option_text("[DATA|@FILE]")
        ->group("Content");
    add_ordered(c, "-F,--form",
                "Send a multipart/form-data field: NAME=VALUE, NAME=@FILE (a file, streamed), "
                "NAME=<FILE (its content as the value), then ;type=TYPE ;filename=NAME",
                body(Kind::kForm))
        ->option_text("NAME=VALUE")
        ->group("Content");
    add_ordered(c, "--form-string", "Send a form field NAME=VALUE, the value as it is",
                body(Kind::kFormString))
        ->option_text("NAME=VALUE")
        ->group("Content");
}

}  // namespace

void add_http_options(CLI::App& c, const std::shared_ptr<HttpOptions>& o) {
    // Cli::parse() parses twice (cli.hpp): what the callbacks gathered starts afresh.
    c.preparse_callback([o](std::size_t) {
        o->body.clear();
        o->json = false;
        o->json_urls.clear();
    });
    CLI::Option* url = c.add_option("URL", o->urls, "http:// or https:// URLs (no scheme: http)")
                           ->required()
                           ->envname("HTTP_URL");
    c.add_option("-o,--output", o->outputs,
                 "Write the Nth URL to the Nth FILE, renamed into place once complete "
                 "('-' for stdout)")
        ->option_text("FILE")
        ->group("Output");
    c.add_flag("-O,--remote-name", o->remote_name,
               "Write to a file named like the URL's last path segment")
        ->group("Output");
    c.add_flag("-i,--include", o->include, "Include the status line and headers in the output")
        ->group("Output");
    c.add_flag("-v,--verbose", o->verbose, "Show request and response heads on stderr")
        ->group("Output");
    c.add_flag("-s,--silent", o->silent, "No progress bar (errors are still reported)")
        ->group("Output");
    c.add_flag("--progress,!--no-progress", o->progress,
               "Force the progress bar on or off (default: on for -o/-O when stderr is a "
               "terminal)")
        ->group("Output");
    c.add_flag("--no-decode{false}", o->decode,
               "Send no Accept-Encoding and keep the content as sent (default: gzip, deflate, "
               "br decoded)")
        ->group("Output");
    c.add_option("-H,--header", o->headers,
                 "Extra request field 'Name: value' ('Name:' drops "
                 "a default field); repeatable")
        ->option_text("'NAME: VALUE'")
        ->group("Request");
    c.add_option("-A,--user-agent", o->user_agent, "User-Agent (default netius)")->group("Request");
    c.add_option("-X,--request", o->method,
                 "Request method (default: the command's; get: GET, or POST with content)")
        ->group("Request");
    c.add_flag("-I,--head", o->head, "Send HEAD: headers only (no content options)")
        ->group("Request");
    c.add_flag("!--no-follow", o->follow, "Do not follow redirects")->group("Request");
    c.add_option("--max-redirs", o->max_redirects, "Redirects to follow at most")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Request");
    add_body_options(c, o, url);
    c.add_option("--timeout", o->timeout, "Give up after SECONDS without receiving anything")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Connection");
    c.add_option("--connect-timeout", o->connect_timeout,
                 "SECONDS to connect (every address) and finish the TLS handshake")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->group("Connection");
    c.add_option("-m,--max-time", o->max_time, "SECONDS for the whole transfer (0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c.add_option("--retry", o->retries,
                 "Retry N times on connection errors, time-outs, 408, 429 and 5xx (once the "
                 "request was sent: GET, HEAD, PUT, DELETE, OPTIONS and TRACE only)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c.add_option("--retry-delay", o->retry_delay,
                 "SECONDS between retries (default: 1, doubling; or Retry-After)")
        ->check(CLI::NonNegativeNumber)
        ->group("Connection");
    c.add_flag("-f,--fail", o->fail, "Exit 22 on an HTTP status >= 400 and write no content")
        ->group("Connection");
    using Http = HttpOptions::Http;
    auto set_http = [o](Http h) {
        return [o, h] {
            o->http = h;
            o->http_flags |= 1u << static_cast<unsigned>(h);
        };
    };
    c.add_flag_callback("--http2", set_http(Http::k2),
                        "Offer HTTP/2 by ALPN over https, HTTP/1.1 when the server does not "
                        "pick it (the default)")
        ->group("Connection");
    c.add_flag_callback("--http1.1", set_http(Http::k11),
                        "Speak HTTP/1.1 only (ALPN offers only http/1.1)")
        ->group("Connection");
    c.add_flag_callback("--http2-prior-knowledge", set_http(Http::k2PriorKnowledge),
                        "Speak HTTP/2 on http:// from the first byte, without Upgrade (the "
                        "server must expect it); on https:// as --http2")
        ->group("Connection");
    c.add_flag("-4,--ipv4", o->ipv4, "Resolve and connect over IPv4 only")->group("Connection");
    c.add_flag("-6,--ipv6", o->ipv6, "Resolve and connect over IPv6 only")->group("Connection");
    c.add_option("--max-connections", o->max_connections,
                 "HTTP/1.1 connections per host at once (requests beyond wait to reuse one; "
                 "HTTP/2 carries them all on one)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256))
        ->group("Connection");
    c.add_option("--nameserver", o->nameservers,
                 "DNS server IP[:PORT] (repeatable; ';'-separated in NAMESERVERS); default: "
                 "/etc/resolv.conf")
        ->envname("NAMESERVERS")
        ->delimiter(';')
        ->option_text("IP[:PORT]")
        ->group("Connection");
    c.add_option("--cacert", o->cacert,
                 "Trust the CA certificates in FILE (PEM) instead of "
                 "the system's")
        ->envname("CA_FILE")
        ->option_text("FILE")
        ->group("TLS");
    c.add_flag("-k,--insecure", o->insecure, "Do not verify the server's certificate")
        ->group("TLS");
}

const char* const kHttpExitStatus =
    "Exit status (curl's numbers): 0 ok; 1 other failure; 2 usage; 3 bad URL; 6 DNS;\n"
    "7 connect; 8 malformed response; 18 connection closed mid-content; 22 --fail and a\n"
    "status >= 400; 23 write error; 26 content file read error; 28 timeout; 35 TLS\n"
    "handshake; 47 too many redirects; 52 empty reply; 56 connection lost mid-response;\n"
    "60 certificate not trusted; 61 bad content coding; 65 content read from a pipe cannot\n"
    "be sent again (307/308); 130 interrupted. With several URLs: the last failure's.";

}  // namespace netius::cmd
