#pragma once
// QueueStore — the relay queue's directory (layout, envelope format and crash-recovery rules:
// queue_entry.hpp). Every write is crash-safe, with the Maildir's steps (util/durable_file.hpp):
// a message is committed by its ".env" name: the ".eml" (envelope + message) is written and
// fsynced first, then ".env" linked to it and the directory fsynced, so an ".eml" without
// ".env" is an unfinished enqueue (never acknowledged) and load() removes it. An envelope
// update goes to a ".tmp" name, is fsynced, renamed over ".env" and the directory fsynced,
// so after a crash it is either the old or the new version. Accepting costs one file fsync
// and one directory fsync, as the Maildir does; concurrent callers' fsyncs run in parallel
// and the file system commits them together.
// Thread-safety: blocking file I/O (fsync): call it from worker threads (QueueWriter), never a
// loop. Calls for different ids may run concurrently; calls for one id must not overlap.
// Failures return an errno and set `error` to "<call>(<path>): <strerror>".
#include <memory>
#include <string>
#include <vector>

#include "net/relay/queue_entry.hpp"

namespace netius::net::relay {

class QueueStore {
  public:
    explicit QueueStore(std::string dir);

    /// Creates the directory (mode 0700) when missing. Throws netius::Error naming it when it
    /// cannot be created or is not a directory.
    void prepare() const;

    /// Commits a new message: one ".eml" file holding `entry` and `content` and its ".env" name
    /// (a hard link; a file of its own where links fail), durable when this returns 0 (one
    /// file fsync, one directory fsync); otherwise an errno and nothing is left behind.
    int add(const QueueEntry& entry, std::string_view content, std::string* error) const;
    /// Replaces the envelope of an existing message: its ".env" becomes a file of its own, so
    /// the ".eml" (and its accepted envelope) never changes. Durable when 0; else errno.
    int update(const QueueEntry& entry, std::string* error) const;
    /// Removes a message (envelope first, so a crash in between leaves an orphan ".eml" that
    /// load() cleans up). Not fsynced: after a crash the message may come back and be sent
    /// again (at-least-once), never lost. 0 or errno.
    int remove(const std::string& id, std::string* error) const;
    /// The message content of `id` (the ".eml" past its envelope); 0 or errno (EINVAL when
    /// the file does not start with an envelope).
    int read_message(const std::string& id, std::string& out, std::string* error) const;

    /// Every committed message, oldest first. With `clean` (the queue owner, at start) removes
    /// leftover ".tmp" files and ".eml" files without an envelope; skips (and logs) envelopes
    /// it cannot read or parse or whose message is missing. Reads only the head of a linked
    /// ".env". Throws netius::Error when the directory cannot be read.
    std::vector<QueueEntry> load(bool clean = true) const;

    const std::string& dir() const { return dir_; }

  private:
    std::string path(const std::string& id, const char* ext) const;
    /// ".env" as a file of its own: temp file, fsync, rename (the directory is not synced).
    int write_envelope(const QueueEntry& entry, std::string* error) const;

    std::string dir_;
};

}  // namespace netius::net::relay
