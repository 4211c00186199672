#pragma once
// PasswordChecker — checks a user's password against an AuthFile (`netius auth generate`
// hashes), as `serve smtp --auth-file` (smtp::PasswordAuthenticator) and `serve proxy --auth`
// (proxy::BasicAuth) both do. A check costs what the stored hash costs: digest and plain
// hashes are checked on the loop (microseconds); argon2 ones (about a second and 256 MiB each,
// by design) on one worker thread of the checker's own, at most kMaxQueued waiting, so the
// loop never waits for one. An unknown user costs an argon2 check too, against a decoy hash
// made once (on the thread, by the first check that needs it), so timing does not tell which
// users exist. Loop thread only (the thread posts its answers back to the loop).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "net/auth_file.hpp"
#include "net/worker_pool.hpp"

namespace netius::net {

class EventLoop;

class PasswordChecker {
  public:
    enum class Result { kOk, kFailed, kBusy };
    using Done = std::function<void(Result)>;

    /// argon2 checks waiting for the thread; past this a check answers kBusy.
    static constexpr std::size_t kMaxQueued = 16;

    /// `loop` must outlive the checker.
    explicit PasswordChecker(EventLoop* loop);

    /// Checks `password` for `user` of `users` (which must outlive the check). `done` runs
    /// exactly once: before verify() returns for a fast hash or when kBusy, else later from
    /// the loop — unless the checker is destroyed first.
    void verify(const AuthFile& users, const std::string& user, std::string password, Done done);

  private:
    EventLoop* loop_;
    std::shared_ptr<char> alive_;  // the thread's answers are dropped once it has expired
    std::string decoy_;            // touched on the thread only
    WorkerPool pool_;              // last: joined before the rest goes
};

}  // namespace netius::net
