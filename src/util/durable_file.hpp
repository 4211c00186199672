#pragma once
// Durable file steps shared by the mail stores (smtp::MaildirStore, relay::QueueStore): write a
// message from pieces without joining them, fsync it, make directory entries durable. A store
// calls them from a WorkerPool, so that concurrent messages' fsyncs run in parallel (the file
// system commits them together) and never on a loop thread.
// Each returns 0 or the errno of the step that failed and then sets `error` (when given) to
// "<call>(<path>): <strerror>". Blocking; any thread.
#include <initializer_list>
#include <string>
#include <string_view>

namespace netius {

/// Writes every piece, in order, to `fd`, retrying short writes and EINTR (one writev per
/// round). `path` names the file in errors.
int write_pieces(int fd, std::initializer_list<std::string_view> pieces, const std::string& path,
                 std::string* error);

/// Creates `path` (O_EXCL, mode 0600: never replaces a file), writes `pieces`, fsyncs and closes
/// it. On failure the file is removed. Its directory entry is durable only after
/// sync_directory() of its directory.
int write_new_file_synced(const std::string& path, std::initializer_list<std::string_view> pieces,
                          std::string* error);

/// fsync of the directory `dir`: names created, renamed, linked or removed in it are durable.
int sync_directory(const std::string& dir, std::string* error);

}  // namespace netius
