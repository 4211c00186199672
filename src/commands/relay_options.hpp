#pragma once
// The options of `netius serve relay` beyond those of `serve smtp`: the queue, who may relay,
// DKIM keys, bounces and outbound delivery (MX or smarthost), and how they become the
// library's option structs. Each flag also reads netius' environment name.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "net/relay/relay_queue.hpp"
#include "net/smtp/client/deliverer.hpp"

namespace netius::cmd {

struct RelayOptions {
    std::string queue_dir = "queue";
    std::string relay_networks;       // RELAY_NETWORKS: CIDR list, ';' or ','
    std::vector<std::string> dkim;    // DOMAIN:SELECTOR:KEYFILE
    std::string postmaster;           // POSTMASTER; default postmaster@<first domain>
    std::string smarthost;            // HOST:PORT
    std::string smarthost_auth_file;  // "user:password"
    std::uint16_t mx_port = 25;
    std::vector<std::string> nameservers;  // NAMESERVERS
    bool tls_verify = false;
    std::string tls_ca_file;
    double max_queue_time = 5 * 24 * 3600;  // seconds
    double retry_min = 60;                  // first back-off, seconds
    double retry_max = 3600;                // back-off cap, seconds
    double connection_cache_time = 5;       // an idle outbound connection waits, seconds
    bool list_queue = false;

    void add_to(CLI::App& app);

    /// The back-off and expiry settings.
    net::relay::RetryPolicy retry_policy() const;
    /// Outbound SMTP settings; reads --smarthost-auth-file. Throws netius::UsageError for a
    /// malformed --smarthost, netius::Error for an unreadable or malformed auth file.
    net::smtp::DelivererOptions deliverer_options(const std::string& helo_name) const;
    /// --postmaster, or postmaster@<first local domain, else `hostname`>.
    std::string postmaster_address(const std::vector<std::string>& domains,
                                   const std::string& hostname) const;
};

}  // namespace netius::cmd
