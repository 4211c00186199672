#pragma once
// AuthFile — a users file: serve smtp's and serve relay's `--auth-file` (SMTP AUTH) and serve
// proxy's `--auth HOST=FILE` (HTTP Basic). Lines "user:<hash>" where <hash> is anything
// `netius auth generate` writes (argon2id "$argon2id$...", netius digests "type:salt:hex" or
// "type:hex", or the plain password), split at the first ':' as netius' passwd back-end does.
// Blank lines and lines starting with '#' are skipped. A line may end with whitespace and
// "allowed_from=a@x,b@y": the only MAIL FROM addresses that user may relay with (netius'
// `allowed_froms`; the relay answers others 550 5.7.1). Immutable once loaded: any thread.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace netius::net {

class AuthFile {
  public:
    /// Reads `path`. Throws netius::Error naming the file (and line) when it cannot be read,
    /// a line has no ':' or an empty user or hash, or a user appears twice.
    static AuthFile load(const std::string& path);
    /// The same from text (for tests); `name` is used in error messages.
    static AuthFile parse(std::string_view text, const std::string& name);

    std::size_t size() const { return users_.size(); }
    /// The stored hash of `user`, or nullptr.
    const std::string* find(std::string_view user) const;

    /// The allowed_from= addresses of `user` (lower case), or nullptr when the line has none.
    const std::vector<std::string>* allowed_from(std::string_view user) const;

    /// True for hashes that cost real time to check (argon2): verify them off the loop thread.
    static bool is_slow(std::string_view hash) { return hash.starts_with("$argon2"); }

  private:
    std::unordered_map<std::string, std::string> users_;
    std::unordered_map<std::string, std::vector<std::string>> allowed_from_;
};

}  // namespace netius::net
