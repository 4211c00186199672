#include "net/http/static/path_resolver.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <string>

namespace netius::net::http {
namespace {

// Set once openat2 proved missing (ENOSYS), so later lookups go straight to the walk.
std::atomic<bool> g_no_openat2{false};

OpenResult fail(int error) {
    return OpenResult{UniqueFd(), error};
}

// openat2 with RESOLVE_BENEATH. ENOSYS: the kernel lacks it; EPERM: a seccomp filter refuses
// it (opening for reading has no other EPERM) — both mean "use the walk".
OpenResult open_with_openat2(int base, const std::string& path, int flags, bool follow) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | (follow ? 0 : RESOLVE_NO_SYMLINKS);
    for (int attempt = 0;; ++attempt) {
        long fd = ::syscall(SYS_openat2, base, path.c_str(), &how, sizeof how);
        if (fd >= 0) return OpenResult{UniqueFd(static_cast<int>(fd)), 0};
        const int err = errno;
        // EAGAIN: a rename or mount raced the lookup (RESOLVE_BENEATH refuses to guess).
        if ((err == EINTR || err == EAGAIN) && attempt < 8) continue;
        return fail(err);
    }
}

// The walk without openat2, symlinks refused: every directory opened with O_NOFOLLOW from the
// one before, so no link and (with no ".." segments) no parent is ever followed.
OpenResult walk_no_follow(int base, std::string_view relative, int flags) {
    UniqueFd dir;
    int at = base;
    for (;;) {
        const std::size_t slash = relative.find('/');
        const std::string name(relative.substr(0, slash));
        if (slash == std::string_view::npos || slash + 1 == relative.size()) {
            const int extra = slash == std::string_view::npos ? 0 : O_DIRECTORY;
            int fd = ::openat(at, name.empty() ? "." : name.c_str(),
                              flags | extra | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) return fail(errno);
            return OpenResult{UniqueFd(fd), 0};
        }
        int fd = ::openat(at, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return fail(errno);
        dir.reset(fd);
        at = fd;
        relative.remove_prefix(slash + 1);
    }
}

std::string real_path_of(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    std::string out(4096, '\0');
    ssize_t n = ::readlink(link, out.data(), out.size());
    if (n <= 0 || static_cast<std::size_t>(n) >= out.size()) return {};
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// The walk without openat2, symlinks followed: open, then accept only a file whose real path
// is the base or lies beneath it (the check is on the opened file, so a race cannot swap it).
OpenResult walk_follow(int base, const std::string& path, int flags) {
    int fd = ::openat(base, path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return fail(errno);
    UniqueFd opened(fd);
    const std::string root = real_path_of(base);
    const std::string real = real_path_of(fd);
    if (root.empty() || real.empty()) return fail(EXDEV);
    const bool beneath =
        real == root || (real.size() > root.size() && real.compare(0, root.size(), root) == 0 &&
                         (root == "/" || real[root.size()] == '/'));
    if (!beneath) return fail(EXDEV);
    return OpenResult{std::move(opened), 0};
}

// Whether `relative` has a "." or ".." segment (callers give normalised paths; the walk
// relies on it, so it is checked rather than assumed).
bool has_dot_segment(std::string_view relative) {
    while (!relative.empty()) {
        const std::size_t slash = relative.find('/');
        const std::string_view segment = relative.substr(0, slash);
        if (segment == "." || segment == "..") return true;
        if (slash == std::string_view::npos) break;
        relative.remove_prefix(slash + 1);
    }
    return false;
}

}  // namespace

OpenResult open_beneath(int base, std::string_view relative, int flags,
                        const BeneathOptions& options) {
    while (relative.starts_with('/')) relative.remove_prefix(1);
    if (has_dot_segment(relative)) return fail(EXDEV);
    const std::string path = relative.empty() ? std::string(".") : std::string(relative);
    if (options.use_openat2 && !g_no_openat2.load(std::memory_order_relaxed)) {
        OpenResult r = open_with_openat2(base, path, flags, options.follow_symlinks);
        if (r.error != ENOSYS && r.error != EPERM) return r;
        if (r.error == ENOSYS) g_no_openat2.store(true, std::memory_order_relaxed);
    }
    return options.follow_symlinks ? walk_follow(base, path, flags)
                                   : walk_no_follow(base, relative, flags);
}

}  // namespace netius::net::http
