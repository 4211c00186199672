#pragma once
// Landlock (the kernel's unprivileged file-system sandbox, Linux 5.13+): after confine(), the
// calling thread — and every thread and process it starts afterwards — may open, create,
// remove or rename files only as its policy says; everything else fails with EACCES (EXDEV
// for a rename across the allowed trees). Descriptors opened before confine() keep working,
// so a server opens its listening socket, certificates and logs first, then confines itself.
// The ABI is detected at run time: on a kernel without Landlock (or with it disabled)
// confine() changes nothing and says so. Once applied, a confinement cannot be lifted.
//
// Threads: Landlock applies to the calling thread and its future children only; call it
// before starting threads (a worker right after fork, before its thread pool).
#include <string>
#include <vector>

namespace netius::sandbox {

/// The Landlock ABI version the kernel offers; 0 when it has none (not built in, disabled at
/// boot, or refused by a seccomp filter).
int landlock_abi();

struct FsPolicy {
    /// Trees (directories, or single files) that may be read: files opened for reading,
    /// directories listed. Nothing may be executed or written there.
    std::vector<std::string> read = {};
    /// Trees that may also be written: files created, written, truncated, removed, renamed
    /// within them, directories made and removed.
    std::vector<std::string> write = {};
    /// Trees whose files may also be executed (serve wsgi: an app may run programs).
    std::vector<std::string> execute = {};
};

struct Confinement {
    bool active = false;  // false: the kernel has no Landlock; nothing was restricted
    int abi = 0;
};

/// Confines the calling thread to `policy` (sets PR_SET_NO_NEW_PRIVS, which Landlock needs
/// without CAP_SYS_ADMIN). Throws netius::Error naming a path that cannot be opened or the
/// step that failed; returns {false, 0} on a kernel without Landlock.
Confinement confine(const FsPolicy& policy);

}  // namespace netius::sandbox
