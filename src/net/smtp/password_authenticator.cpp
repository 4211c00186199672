#include "net/smtp/password_authenticator.hpp"

#include "crypto/password.hpp"
#include "net/event_loop.hpp"

namespace netius::net::smtp {
namespace {

// argon2 checks waiting for the worker; past this AUTH answers 454 (try again later).
constexpr std::size_t kMaxQueuedChecks = 16;

}  // namespace

PasswordAuthenticator::PasswordAuthenticator(EventLoop* loop, AuthFile users)
    : loop_(loop), users_(std::move(users)), pool_("auth", 1, kMaxQueuedChecks) {}

void PasswordAuthenticator::verify(std::string user, std::string password, AuthDone done) {
    const std::string* hash = users_.find(user);
    if (hash && !AuthFile::is_slow(*hash)) {
        done(crypto::verify_password(*hash, password) ? AuthStatus::kOk : AuthStatus::kFailed);
        return;
    }
    // Unknown users get a slow check as well, against a decoy hash made once (lazily: only
    // servers that meet an unknown user pay for it, on the worker).
    const bool known = hash != nullptr;
    std::string encoded = known ? *hash : std::string();
    auto job = [this, known, encoded = std::move(encoded), password = std::move(password), done] {
        bool ok = false;
        try {  // decoy_ is only touched here, on the pool's single thread
            ok = crypto::verify_password_or_decoy(known ? &encoded : nullptr, password, decoy_);
        } catch (const std::exception&) {  // no memory for argon2: a failed check
        }
        loop_->queue_in_loop([done, ok] { done(ok ? AuthStatus::kOk : AuthStatus::kFailed); });
    };
    if (!pool_.submit(std::move(job))) done(AuthStatus::kBusy);
}

}  // namespace netius::net::smtp
