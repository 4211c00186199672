#pragma once
// Giving root up (issue 18): a server started as root binds its ports, reads its keys and
// opens its logs, then runs as an unprivileged user. resolve_identity() turns `--user`
// (netius' SETUID) into ids before anything is bound, so a typo fails at once; drop_to()
// then changes the whole process (every thread: glibc's set*id are process-wide).
#include <sys/types.h>

#include <string>
#include <string_view>

namespace netius {

struct Identity {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;  // for logs: "nobody", or the number given
};

/// "USER", "USER:GROUP", "UID" or "UID:GID" (names from the passwd and group databases); a
/// user's group defaults to its primary group (a bare UID: the group of the same number).
/// Throws netius::UsageError naming what does not exist.
Identity resolve_identity(std::string_view spec);

/// Hands the directory tree at `path` (a Maildir or queue root the server has just created)
/// to `id`: owner and group of every entry, symbolic links not followed. Throws netius::Error
/// naming the entry that could not be changed.
void give_tree(const std::string& path, const Identity& id);

/// Becomes `id`: supplementary groups cleared, then gid, then uid (real, effective and saved),
/// then PR_SET_NO_NEW_PRIVS; checks that root cannot be regained. Nothing to do when the
/// process already is `id`. Throws netius::Error saying which step failed (e.g. EPERM when
/// not started as root).
void drop_to(const Identity& id);

}  // namespace netius
