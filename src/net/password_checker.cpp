#include "net/password_checker.hpp"

#include "crypto/password.hpp"
#include "net/event_loop.hpp"

namespace netius::net {

PasswordChecker::PasswordChecker(EventLoop* loop)
    : loop_(loop), alive_(std::make_shared<char>()), pool_("auth", 1, kMaxQueued) {}

void PasswordChecker::verify(const AuthFile& users, const std::string& user, std::string password,
                             Done done) {
    const std::string* hash = users.find(user);
    if (hash && !AuthFile::is_slow(*hash)) {
        done(crypto::verify_password(*hash, password) ? Result::kOk : Result::kFailed);
        return;
    }
    const bool known = hash != nullptr;
    auto job = [this, known, encoded = known ? *hash : std::string(),
                password = std::move(password), alive = std::weak_ptr<char>(alive_),
                done]() mutable {
        bool ok = false;
        try {
            ok = crypto::verify_password_or_decoy(known ? &encoded : nullptr, password, decoy_);
        } catch (const std::exception&) {  // no memory for argon2: a failed check
        }
        // `done` moves on to the loop: what it holds is released there, never on this thread.
        loop_->queue_in_loop([alive, ok, done = std::move(done)] {
            if (alive.lock()) done(ok ? Result::kOk : Result::kFailed);
        });
    };
    if (!pool_.submit(std::move(job))) done(Result::kBusy);
}

}  // namespace netius::net
