#include "net/smtp/password_authenticator.hpp"

namespace netius::net::smtp {

PasswordAuthenticator::PasswordAuthenticator(EventLoop* loop, AuthFile users)
    : users_(std::move(users)), checker_(loop) {}

void PasswordAuthenticator::verify(std::string user, std::string password, AuthDone done) {
    checker_.verify(users_, user, std::move(password),
                    [done = std::move(done)](PasswordChecker::Result r) {
                        done(r == PasswordChecker::Result::kOk       ? AuthStatus::kOk
                             : r == PasswordChecker::Result::kFailed ? AuthStatus::kFailed
                                                                     : AuthStatus::kBusy);
                    });
}

}  // namespace netius::net::smtp
