#pragma once
// PasswordAuthenticator — the Authenticator of `--auth-file`: the users of an AuthFile, checked
// by a PasswordChecker (fast hashes on the loop, argon2 on a thread of its own, unknown users
// against a decoy). Loop thread only.
#include "net/auth_file.hpp"
#include "net/password_checker.hpp"
#include "net/smtp/message_sink.hpp"

namespace netius::net::smtp {

class PasswordAuthenticator final : public Authenticator {
  public:
    PasswordAuthenticator(EventLoop* loop, AuthFile users);

    /// kBusy when too many slow checks are already waiting (the client gets 454 4.7.0).
    void verify(std::string user, std::string password, AuthDone done) override;

  private:
    AuthFile users_;
    PasswordChecker checker_;  // last: its thread is joined before the users go
};

}  // namespace netius::net::smtp
