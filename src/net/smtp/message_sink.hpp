#pragma once
// What an SMTP session hands its accepted work to: a MessageSink decides which recipients are
// accepted and stores messages (the Maildir of `serve smtp`; the relay's queue later), an
// Authenticator checks passwords. Both may finish asynchronously (off the loop thread), and
// call their `done` on the session's loop thread exactly once — possibly before returning.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/smtp/reply.hpp"

namespace netius::net::smtp {

/// One mail transaction as the session saw it (RFC 5321 §3.3).
struct Envelope {
    std::string id;                       // queue id, in logs, Received and the 250
    std::string helo;                     // what the client called itself
    std::string client;                   // its address, "127.0.0.1" / "::1"
    std::string sender;                   // reverse-path; empty for "<>"
    std::vector<std::string> recipients;  // forward-paths, in order, as accepted
    std::string auth_user;                // empty when not authenticated
    bool esmtp = false;
    bool tls = false;
    bool smtputf8 = false;
    bool eight_bit = false;  // BODY=8BITMIME
};

/// How storing went; each has its reply (250, 451 4.3.0, 452 4.3.1).
enum class DeliveryStatus { kStored, kFailed, kStorageFull };
using DeliveryDone = std::function<void(DeliveryStatus)>;

class MessageSink {
  public:
    virtual ~MessageSink() = default;
    /// MAIL policy for `sender` (already syntax-checked, empty for "<>"; envelope.client and
    /// auth_user are set): nullopt accepts, else the refusal (the relay's 550 5.7.1 for a
    /// sender the user may not use). Loop thread; must not block.
    virtual std::optional<Reply> check_sender(const Envelope& /*envelope*/,
                                              std::string_view /*sender*/) const {
        return std::nullopt;
    }
    /// RCPT policy for `address` (already syntax-checked): nullopt accepts, else the refusal
    /// (e.g. 550 5.1.1). Loop thread; must not block.
    virtual std::optional<Reply> check_recipient(const Envelope& envelope,
                                                 std::string_view address) const = 0;
    /// Stores `trace` (the Received field, CRLF-terminated) followed by `content` for every
    /// recipient, durably, then calls `done` on the loop thread. Called on the loop thread.
    virtual void deliver(const Envelope& envelope, std::string trace, std::string content,
                         DeliveryDone done) = 0;
};

enum class AuthStatus { kOk, kFailed, kBusy };  // 235, 535 after a delay, 454 4.7.0
using AuthDone = std::function<void(AuthStatus)>;

class Authenticator {
  public:
    virtual ~Authenticator() = default;
    /// Checks `user`'s password and calls `done` on the loop thread. Called on the loop
    /// thread; slow checks (argon2) must run elsewhere.
    virtual void verify(std::string user, std::string password, AuthDone done) = 0;
};

}  // namespace netius::net::smtp
