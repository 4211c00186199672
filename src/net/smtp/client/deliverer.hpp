#pragma once
// Deliverer — outbound SMTP (RFC 5321) on one EventLoop: one message for one destination
// domain in, one RecipientOutcome per recipient out (the contract of net/smtp/delivery.hpp).
//
// Routing (RFC 5321 §5.1): the domain's MX records by preference, equal preferences shuffled;
// no MX record → the domain itself (implicit MX); a null MX (RFC 7505) or a domain that does
// not exist → permanent failure; other DNS trouble → transient. Each host's addresses are
// tried in turn; a host that cannot be reached, or refuses before the mail transaction (4xx
// greeting, EHLO or STARTTLS failure), passes the message to the next one. With a smarthost
// every message goes there instead (RFC 6409 submission, AUTH PLAIN/LOGIN over TLS only).
//
// The session: EHLO (HELO when EHLO gets a 5xx), STARTTLS when offered (RFC 3207; required
// with a valid certificate when tls_verify, or unchecked with require_tls; or implicit TLS
// to a smarthost, RFC 8314), EHLO again, MAIL FROM with SIZE= (RFC 1870),
// BODY=8BITMIME (RFC 6152) and SMTPUTF8 (RFC 6531) as needed, one RCPT per recipient, DATA
// with dot-stuffing, QUIT; MAIL, the RCPTs and DATA go in one write with PIPELINING (RFC
// 2920). Every wait is bounded (connect_timeout; command_timeout per reply, twice that for
// the reply to the end of data, RFC 5321 §4.5.3.2.6). A connection whose transaction is done
// waits idle_timeout for the next message to the same destination, which then starts at MAIL
// (no DNS, connect, EHLO, STARTTLS or AUTH); a kept connection found closed before it answered
// is replaced by a fresh one, without counting against the message.
//
//     Deliverer deliverer(&loop, {.helo_name = "relay.example.org"});
//     deliverer.deliver({"example.org", "a@example.net", {"b@example.org"}, content},
//                       [](DeliveryReport r) { for (auto& o : r.recipients) use(o); });
//
// Thread-safety: loop thread only, construction and destruction included.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "net/resolver.hpp"
#include "net/smtp/client/transcript.hpp"
#include "net/smtp/delivery.hpp"

namespace netius::net {
class EventLoop;
class TlsContext;
}  // namespace netius::net

namespace netius::net::smtp {

struct SmarthostOptions {
    std::string host;
    std::uint16_t port = 587;
    std::string user, password;  // user empty = no AUTH
    /// TLS from the first byte (RFC 8314 §3.3, submissions on port 465) instead of STARTTLS;
    /// never retried in clear. The certificate is checked when tls_verify.
    bool implicit_tls = false;
};

struct DelivererOptions {
    std::string helo_name = "localhost";  // our EHLO name
    ResolverOptions resolver;             // nameservers "IP[:PORT]"; empty = system resolver
    std::uint16_t mx_port = 25;
    /// Require STARTTLS with a certificate that is valid for the MX host name (else
    /// opportunistic STARTTLS: used when offered, certificate unchecked, RFC 7435).
    bool tls_verify = false;
    std::string ca_file;  // extra trust anchor for tls_verify (PEM); empty = system store
    /// Require STARTTLS even without tls_verify (certificate unchecked): a host that does not
    /// offer it, or whose handshake fails, is a transient failure, never retried in clear.
    bool require_tls = false;
    /// Each line of every session's dialogue (transcript.hpp), credentials masked; empty: none.
    TranscriptCallback transcript;
    std::optional<SmarthostOptions> smarthost;
    std::chrono::milliseconds connect_timeout{30000};  // TCP connect to all of a host's addresses
    /// Each reply (greeting, EHLO, MAIL, RCPT, DATA, STARTTLS handshake); the reply to the end
    /// of data gets twice this (RFC 5321 §4.5.3.2: 5 and 10 minutes).
    std::chrono::milliseconds command_timeout{300000};
    /// A connection whose transaction is done waits this long for the next message to the
    /// same destination (same domain, or the smarthost), which then skips DNS, connect,
    /// greeting, EHLO, STARTTLS and AUTH; 0 closes it at once.
    std::chrono::milliseconds idle_timeout{5000};
};

class Delivery;
class ClientSession;

class Deliverer {
  public:
    /// Throws netius::Error when the resolver cannot start (bad nameserver) or ca_file cannot
    /// be read.
    Deliverer(EventLoop* loop, DelivererOptions options);
    /// Cancels deliveries in flight; their callbacks are not called.
    ~Deliverer();
    Deliverer(const Deliverer&) = delete;
    Deliverer& operator=(const Deliverer&) = delete;

    /// Delivers `message` (all recipients share message.domain) and calls `done` on the loop
    /// thread exactly once, never inside deliver(), with one outcome per recipient in the
    /// order of message.recipients. Loop thread.
    void deliver(Outbound message, DeliveryCallback done);

    /// Deliveries started whose connection is not closed yet.
    std::size_t active() const { return deliveries_.size(); }

  private:
    friend class Delivery;  // one deliver() call, in deliverer.cpp
    EventLoop* loop() const { return loop_; }
    const DelivererOptions& options() const { return options_; }
    Resolver& resolver() { return resolver_; }
    std::mt19937& rng() { return rng_; }
    const std::shared_ptr<TlsContext>& tls() const { return tls_; }
    /// Drops a finished delivery (from the loop's queue).
    void finished(std::uint64_t id);
    /// Expires with the Deliverer: queued callbacks check it.
    std::weak_ptr<char> alive() const { return alive_; }
    /// An idle connection to `destination`, or null.
    std::unique_ptr<ClientSession> take_idle(const std::string& destination);
    /// Keeps an idle() session for the next message to `destination` until it closes.
    void park(const std::string& destination, std::unique_ptr<ClientSession> session);

    EventLoop* loop_;
    DelivererOptions options_;
    Resolver resolver_;
    std::shared_ptr<TlsContext> tls_;
    std::mt19937 rng_;
    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, std::unique_ptr<Delivery>> deliveries_;
    std::multimap<std::string, std::unique_ptr<ClientSession>> idle_;  // by destination
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace netius::net::smtp
