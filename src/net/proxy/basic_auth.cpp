#include "net/proxy/basic_auth.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "crypto/encoding.hpp"
#include "crypto/password.hpp"
#include "util/ascii.hpp"

namespace netius::net::proxy {
namespace {

// A client's user name for a log line: printable ASCII kept, the rest as '?', at most 64.
std::string printable(std::string_view user) {
    std::string out(user.substr(0, 64));
    for (char& c : out)
        if (c < 0x20 || c > 0x7e) c = '?';
    return out;
}

}  // namespace

std::optional<BasicCredentials> parse_basic(std::string_view authorization) {
    // credentials = auth-scheme [ 1*SP token68 ] (RFC 9110 §11.4); Basic's token68 is the
    // base64 of user-id ":" password (RFC 7617 §2).
    const std::size_t space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "Basic"))
        return std::nullopt;
    std::string_view token = authorization.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos)
        return std::nullopt;
    const std::optional<std::string> decoded = crypto::base64_decode(token);
    if (!decoded) return std::nullopt;
    const std::size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

void drop_credentials(Fields& fields) {
    std::erase_if(fields, [](const auto& f) { return iequals(f.first, "Authorization"); });
}

void answer_unauthorized(http::Response& res, std::string_view realm) {
    res.status = http::Status::kUnauthorized;
    // The challenge, then the page, in storage; the fields view into it. The realm is a
    // quoted-string (RFC 9110 §5.6.4): '"' and '\' in a Host a wildcard matched are escaped.
    res.storage = "Basic realm=\"";
    for (char c : realm) {
        if (c == '"' || c == '\\') res.storage += '\\';
        res.storage += c;
    }
    res.storage += R"(", charset="UTF-8")";
    const std::size_t challenge = res.storage.size();
    res.storage += "This server needs a user name and password for " + std::string(realm) + ".\n";
    const std::string_view text = res.storage;
    res.headers.push_back({"WWW-Authenticate", text.substr(0, challenge)});
    res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    res.body = text.substr(challenge);
}

std::shared_ptr<const AuthUsers> AuthUsers::load(const std::map<std::string, std::string>& files) {
    auto users = std::make_shared<AuthUsers>();
    for (const auto& [host, path] : files)
        if (!users->files_.contains(path)) users->files_.emplace(path, AuthFile::load(path));
    return users;
}

std::shared_ptr<const AuthUsers> AuthUsers::of(std::map<std::string, AuthFile> files) {
    auto users = std::make_shared<AuthUsers>();
    users->files_ = std::move(files);
    return users;
}

const AuthFile* AuthUsers::find(const std::string& path) const {
    auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
}

bool BasicAuth::Cache::hit(const std::string& key) {
    auto it = index.find(key);
    if (it == index.end()) return false;
    order.splice(order.end(), order, it->second);  // most recently used last
    return true;
}

void BasicAuth::Cache::add(std::string key) {
    if (hit(key)) return;
    if (order.size() >= kCachedCredentials) {
        index.erase(order.front());
        order.pop_front();
    }
    order.push_back(std::move(key));
    index.emplace(order.back(), std::prev(order.end()));
}

BasicAuth::BasicAuth(EventLoop* loop, std::shared_ptr<const AuthUsers> users)
    : users_(std::move(users)), checker_(loop) {}

void BasicAuth::check(const std::string& file, std::optional<std::string_view> authorization,
                      Done done) {
    const AuthFile* users = users_ ? users_->find(file) : nullptr;
    std::optional<BasicCredentials> c;
    if (authorization) c = parse_basic(*authorization);
    if (!users || !c || (c->user.empty() && c->password.empty())) {
        done(Verdict::kDenied);
        return;
    }
    std::string key = crypto::credential_digest(file, c->user, c->password);
    if (cache_.hit(key)) {
        done(Verdict::kAllowed);
        return;
    }
    // At once for a digest, else from the loop after the thread's argon2 (never after this
    // object is gone: the checker drops the answer).
    checker_.verify(
        *users, c->user, std::move(c->password),
        [this, key = std::move(key), done = std::move(done)](PasswordChecker::Result r) mutable {
            if (r == PasswordChecker::Result::kOk) cache_.add(std::move(key));
            done(r == PasswordChecker::Result::kOk       ? Verdict::kAllowed
                 : r == PasswordChecker::Result::kFailed ? Verdict::kDenied
                                                         : Verdict::kBusy);
        });
}

void BasicAuth::gate(const std::string& file, std::string_view realm,
                     std::optional<std::string_view> authorization, const http::Resume& resume,
                     std::function<void()> proceed) {
    std::string user;
    if (authorization)
        if (auto c = parse_basic(*authorization)) user = printable(c->user);
    check(file, authorization,
          [resume, proceed = std::move(proceed), realm = std::string(realm),
           given = authorization.has_value(), user = std::move(user)](Verdict v) {
              if (v == Verdict::kAllowed) {
                  proceed();
                  return;
              }
              if (v == Verdict::kBusy) {
                  spdlog::warn("proxy: {}: too many password checks waiting; answered 503", realm);
                  resume.finish([](http::Response& res) {
                      res.status = http::Status::kServiceUnavailable;
                      res.body = "Too many sign-ins at once; try again shortly.\n";
                      res.headers.push_back({"Retry-After", "1"});
                      res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
                  });
                  return;
              }
              if (given) spdlog::info("proxy: {}: credentials of user '{}' refused", realm, user);
              resume.finish([realm](http::Response& res) { answer_unauthorized(res, realm); });
          });
}

}  // namespace netius::net::proxy
