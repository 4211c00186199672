#pragma once
// Opening files strictly beneath a base directory, decided by the kernel rather than by
// comparing strings (netius' string-prefix check let "/../www2/x" escape "/srv/www"):
// openat2(2) with RESOLVE_BENEATH (Linux 5.6+), so "..", absolute symlinks and symlinks
// leading out, and renames racing the lookup cannot reach outside the base. Where openat2 is
// missing (older kernels, seccomp filters) an equivalent walk is used: component by component
// with O_NOFOLLOW, or, when symlinks are followed, open then check the opened file's real
// path. Blocking file-system calls on the calling thread; any thread.
#include <string_view>

#include "util/unique_fd.hpp"

namespace netius::net::http {

struct BeneathOptions {
    /// Follow symbolic links whose target stays beneath the base; false refuses every link.
    bool follow_symlinks = false;
    /// false forces the portable walk (tests, or kernels without openat2).
    bool use_openat2 = true;
};

struct OpenResult {
    UniqueFd fd;    // valid on success
    int error = 0;  // else an errno: ENOENT, ENOTDIR, EXDEV or ELOOP (would leave the base or
                    // meet a refused link), EACCES, EMFILE...
};

/// Opens `relative` beneath the directory `base` with open(2) `flags` (O_CLOEXEC is added;
/// O_CREAT is not supported). `relative` is a path without "." or ".." segments, as
/// decode_path() returns it minus its leading "/" (one that has them is refused: EXDEV);
/// empty means `base` itself, and a trailing "/" requires a directory. Never follows a
/// "magic" /proc link.
OpenResult open_beneath(int base, std::string_view relative, int flags,
                        const BeneathOptions& options);

}  // namespace netius::net::http
