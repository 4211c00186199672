#pragma once
// `netius smtp send`: its options and the run (smtp_send_run.cpp); the registration is
// smtp_send.cpp. The delivery is net::smtp::Deliverer's, DKIM net::relay::DkimSigner's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netius::cmd {

struct SendOptions {
    std::vector<std::string> args;  // MESSAGE [FROM TO [HOST PORT USER PASS STLS]] (netius')
    std::string from;
    std::vector<std::string> to;
    std::string server;  // HOST[:PORT]; empty: MX delivery
    bool starttls = false, tls = false, insecure = false;
    std::string cacert;
    std::string auth_user, auth_password_file;
    std::string dkim;  // DOMAIN:SELECTOR:KEYFILE
    std::optional<std::string> subject, body;
    std::vector<std::string> headers;
    std::vector<std::string> nameservers;
    std::uint16_t mx_port = 25;
    std::string helo;
    double timeout = 60;
    bool verbose = false;
};

/// Sends the message; returns 0 when every recipient took it, else throws ExitStatus with
/// smtp_send_message.hpp's codes (after one stderr line per recipient), netius::UsageError or
/// netius::Error.
int run_smtp_send(SendOptions o);

}  // namespace netius::cmd
