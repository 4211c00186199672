#pragma once
// serve proxy's --auth HOST=FILE: HTTP Basic authentication (RFC 7617) of the requests for a
// host against a users file of `netius auth generate` hashes ("user:<hash>" lines, as
// --auth-file of serve smtp reads them: net::AuthFile), checked by the proxy before the
// request goes upstream, which never sees the credentials (drop_credentials).
//
// The files are read once, before the workers start (AuthUsers::load; a SIGHUP reload reads
// them again in its new workers), so a worker's sandbox needs no access to them.
//
// A check costs what the stored hash costs: microseconds for netius' digests, about a second
// and 256 MiB for argon2id by design. Argon2 checks run on one thread per worker (never on the
// loop; net::PasswordChecker), at most PasswordChecker::kMaxQueued waiting (past that: 503);
// and every check that succeeded is remembered per worker (at most kCachedCredentials entries,
// least recently used dropped), so a keep-alive client pays the hash once, not per request. The
// cache keeps a keyed digest of (file, user, password) (crypto::credential_digest), never a
// password. An unknown user costs an argon2 check too, so timing does not tell which users exist.
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/auth_file.hpp"
#include "net/http/http_types.hpp"
#include "net/password_checker.hpp"
#include "net/proxy/forwarding.hpp"

namespace netius::net::proxy {

/// Successful checks a worker remembers (about 100 bytes each).
inline constexpr std::size_t kCachedCredentials = 1024;

struct BasicCredentials {
    std::string user, password;
};

/// The credentials of an Authorization field value "Basic <base64(user:password)>" (RFC 7617
/// §2: the scheme in any case, the user-id up to the first ':'); nullopt for another scheme,
/// bad base64 or no ':'. Pure; any thread.
std::optional<BasicCredentials> parse_basic(std::string_view authorization);

/// Removes every Authorization field from `fields` (the credentials were the proxy's to
/// check, not the upstream's).
void drop_credentials(Fields& fields);

/// The 401 answer (RFC 9110 §15.5.2, §11.6.1): `WWW-Authenticate: Basic realm="REALM",
/// charset="UTF-8"` (RFC 7617 §2.1) and a short page. `realm` (a host name) is quoted,
/// '"' and '\' escaped.
void answer_unauthorized(http::Response& res, std::string_view realm);

/// The users of every --auth file, by path. Immutable once loaded: any thread.
class AuthUsers {
  public:
    /// Reads each file named in `files` (host -> path; a file named twice is read once).
    /// Throws netius::Error naming the file (and line) that cannot be read or is malformed.
    static std::shared_ptr<const AuthUsers> load(const std::map<std::string, std::string>& files);

    /// Users already read, by path (for tests).
    static std::shared_ptr<const AuthUsers> of(std::map<std::string, AuthFile> files);

    /// The users of `path`, or nullptr when it was not loaded.
    const AuthFile* find(const std::string& path) const;

  private:
    std::map<std::string, AuthFile> files_;
};

/// One worker's checks. Loop thread only.
class BasicAuth {
  public:
    enum class Verdict { kAllowed, kDenied, kBusy };
    using Done = std::function<void(Verdict)>;

    BasicAuth(EventLoop* loop, std::shared_ptr<const AuthUsers> users);

    /// Checks `authorization` (the request's Authorization value, nullopt without one)
    /// against the users of `file`. `done` runs exactly once: before check() returns when the
    /// answer is known at once (no or malformed credentials, a remembered success, a digest
    /// or plain hash), else later from the loop (an argon2 hash) — unless this object is
    /// destroyed first. A file that was not loaded denies everyone.
    void check(const std::string& file, std::optional<std::string_view> authorization, Done done);

    /// check(), then: allowed -> `proceed()`; denied -> 401 (answer_unauthorized with
    /// `realm`); busy -> 503; the answers through `resume` (a deferred response).
    void gate(const std::string& file, std::string_view realm,
              std::optional<std::string_view> authorization, const http::Resume& resume,
              std::function<void()> proceed);

    /// Successes remembered now (for tests).
    std::size_t cached() const { return cache_.order.size(); }

  private:
    // Least recently used first; keyed by credential_digest().
    struct Cache {
        std::list<std::string> order;
        std::unordered_map<std::string, std::list<std::string>::iterator> index;
        bool hit(const std::string& key);
        void add(std::string key);
    };

    std::shared_ptr<const AuthUsers> users_;
    Cache cache_;
    PasswordChecker checker_;  // last: no answer comes back once it is gone
};

}  // namespace netius::net::proxy
