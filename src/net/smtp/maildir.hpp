#pragma once
// MaildirStore — durable delivery into Maildirs (https://cr.yp.to/proto/maildir.html): one
// Maildir per recipient address under a root directory (`root/<address>/{tmp,new,cur}`), or
// one Maildir at the root itself (`single`). A message is written once into tmp/, fsynced,
// hard-linked into every other recipient's new/ and renamed into the first one's, and every
// new/ directory is fsynced — so when deliver() returns 0 the message survives a crash or
// kill -9, complete, in each new/. On any failure every link already made is removed: no
// recipient sees a partial or duplicate delivery.
// Thread-safety: deliver() may run on several threads at once (it blocks on disk: call it
// from a WorkerPool, not from a loop); construction and prepare() on one thread first.
#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace netius::net::smtp {

class MaildirStore {
  public:
    /// `hostname` goes into the unique file names ("<sec>.M<usec>P<pid>Q<n>.<hostname>").
    MaildirStore(std::string root, bool single, const std::string& hostname);

    /// Creates the root (and, with `single`, its tmp/new/cur) if missing. Throws netius::Error
    /// naming the directory when it cannot be created or is not a directory.
    void prepare();

    /// Whether `address` can name a Maildir under the root: non-empty, no '/', no NUL or
    /// control bytes, not starting with '.'. (With `single` every address is fine.)
    bool accepts_mailbox(std::string_view address) const;

    /// Stores `head` followed by `body` for `recipients` (duplicates are delivered once).
    /// Returns 0, or the errno of the step that failed (ENOSPC/EDQUOT: disk full); `error`
    /// then says "<call>(<path>): <strerror>". Blocking; any thread.
    int deliver(std::string_view head, std::string_view body,
                const std::vector<std::string>& recipients, std::string* error);

    const std::string& root() const { return root_; }

  private:
    std::string maildir_of(std::string_view recipient) const;
    /// Makes `dir` a Maildir (tmp, new, cur), fsyncing what it created; errno or 0.
    int ensure_maildir(const std::string& dir, std::string* error);
    std::string unique_name();

    std::string root_;
    bool single_;
    std::string hostname_;  // '/' and ':' escaped as the Maildir convention says
    std::atomic<unsigned long> counter_{0};
    std::mutex known_mutex_;
    std::unordered_set<std::string> known_;  // Maildirs known to exist (guarded)
};

}  // namespace netius::net::smtp
