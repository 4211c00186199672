#pragma once
// The work behind `netius http get` (http_get.cpp is the CLI adapter): every URL is fetched
// concurrently on one EventLoop through one HttpClient (connections kept per origin), each
// into its own sink (a file, or standard output in URL order), with optional progress bar,
// verbose heads, --json results and curl's exit codes. Main thread; blocks until all ended.
#include <optional>
#include <string>
#include <vector>

namespace netius::cmd {

struct GetOptions {
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
    std::optional<std::string> data;    // -d DATA or @FILE
    bool head = false;                  // -I
    bool follow = true;
    int max_redirects = 10;
    double timeout = 60;          // seconds without receiving anything
    double connect_timeout = 30;  // DNS excluded: connect + TLS handshake
    double max_time = 0;          // whole transfer, 0 = none
    int retries = 0;
    std::optional<double> retry_delay;
    bool fail = false;
    bool json = false;
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
/// URL (see exit_code() in http_get_output.hpp), 130 after SIGINT/SIGTERM. Throws
/// netius::UsageError for conflicting options or a bad -H/-o/-O, netius::Error for a bad URL
/// (before anything is fetched), an unreadable --cacert or --data @FILE.
int run_http_get(const GetOptions& options);

}  // namespace netius::cmd
