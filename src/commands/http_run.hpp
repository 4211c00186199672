#pragma once
// The work behind `netius http get|post|put|patch|delete|head|request` (http_commands.cpp and
// http_options.cpp are the CLI adapter): every URL is fetched concurrently on one EventLoop
// through one HttpClient (connections kept per origin), each with the same request content
// (http_body.hpp; files streamed, opened once per URL) into its own sink (a file, or standard
// output in URL order), with optional progress bar, verbose heads, --json results and curl's
// exit codes. Main thread; blocks until all ended.
#include <optional>
#include <string>
#include <vector>

#include "commands/http_body.hpp"

namespace netius::cmd {

struct HttpOptions {
    std::string command = "http get";  // for messages: "netius: http post: URL: ..."
    /// The command's method (post: POST...); unset (get): GET, or POST with content, as curl.
    std::optional<std::string> default_method;
    std::vector<std::string> urls;
    std::vector<std::string> outputs;  // -o, paired with the URLs in order
    bool remote_name = false;          // -O: for URLs without -o
    bool include = false;              // -i
    bool verbose = false;              // -v
    bool silent = false;               // -s
    std::optional<bool> progress;      // --progress / --no-progress
    std::vector<std::string> headers;  // -H 'Name: value' ('Name:' removes a default)
    std::optional<std::string> user_agent;
    std::optional<std::string> method;  // -X
    std::vector<BodyArg> body;          // -d, --data-*, --json DATA, -F, in command-line order
    bool head = false;                  // -I (always, for `http head`)
    bool follow = true;
    int max_redirects = 10;
    double timeout = 60;          // seconds without receiving anything
    double connect_timeout = 30;  // DNS excluded: connect + TLS handshake
    double max_time = 0;          // whole transfer, 0 = none
    int retries = 0;
    std::optional<double> retry_delay;
    bool fail = false;
    bool json = false;                   // --json alone (or before a URL): results as JSON
    std::vector<std::string> json_urls;  // the words after --json taken as URLs
    bool ipv4 = false;
    bool ipv6 = false;
    std::string cacert;
    bool insecure = false;
    std::vector<std::string> nameservers;
    int max_connections = 6;
    bool decode = true;
    /// --http2 (default: offer h2 by ALPN over TLS), --http1.1, --http2-prior-knowledge.
    enum class Http { k2, k11, k2PriorKnowledge } http = Http::k2;
    unsigned http_flags = 0;  // which of the three were given (bit per Http value)
};

/// Runs every transfer; returns 0 when all succeeded, else the exit code of the last failed
/// URL (see exit_code() in http_get_output.hpp), 130 after SIGINT/SIGTERM; 3 for a bad URL
/// (before anything is fetched). Throws netius::UsageError for conflicting options (content
/// with -I, content options mixed, standard input for several URLs) or a bad -H/-o/-O/-F,
/// netius::Error for an unreadable --cacert or content file.
int run_http(const HttpOptions& options);

}  // namespace netius::cmd
