#pragma once
// PasswordAuthenticator — the Authenticator of `--auth-file`: looks the user up in an AuthFile
// and checks the password with crypto::verify_password. Digest and plain hashes are checked on
// the loop (microseconds); argon2 hashes (about a second and 256 MiB each) on one worker
// thread, so other sessions never wait for them. Unknown users cost an argon2 check too, so
// timing does not tell which users exist. Loop thread only (the worker posts back).
#include <memory>

#include "net/auth_file.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/worker_pool.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::smtp {

class PasswordAuthenticator final : public Authenticator {
  public:
    PasswordAuthenticator(EventLoop* loop, AuthFile users);

    /// kBusy when too many slow checks are already waiting (the client gets 454 4.7.0).
    void verify(std::string user, std::string password, AuthDone done) override;

  private:
    EventLoop* loop_;
    AuthFile users_;
    std::string decoy_;  // an argon2 hash checked for unknown users
    WorkerPool pool_;    // last: joined before the rest goes
};

}  // namespace netius::net::smtp
