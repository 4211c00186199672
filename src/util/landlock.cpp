#include "util/landlock.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

// Rights newer than Debian 12's header (ABI 2); the values are the kernel's ABI.
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)  // ABI 3
#endif

namespace netius::sandbox {
namespace {

constexpr std::uint64_t kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr std::uint64_t kWriteAbi1 = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                                     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                                     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                                     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                                     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;

// The write rights this ABI knows: REFER (renames across directories) from 2, TRUNCATE from 3.
std::uint64_t write_rights(int abi) {
    std::uint64_t w = kWriteAbi1;
    if (abi >= 2) w |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) w |= LANDLOCK_ACCESS_FS_TRUNCATE;
    return w;
}

// Every right the ABI knows is handled (denied unless a rule grants it).
std::uint64_t handled_rights(int abi) {
    return kRead | LANDLOCK_ACCESS_FS_EXECUTE | write_rights(abi);
}

void add_rule(int ruleset, const std::string& path, std::uint64_t rights) {
    UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!fd) throw Error("sandbox: {}: {}", path, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && !S_ISDIR(st.st_mode))
        rights &= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                  LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_EXECUTE;  // file rights only
    landlock_path_beneath_attr rule{};
    rule.allowed_access = rights;
    rule.parent_fd = fd.get();
    if (::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
        throw Error("sandbox: landlock_add_rule({}): {}", path, std::strerror(errno));
}

}  // namespace

int landlock_abi() {
    const long abi =
        ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi > 0 ? static_cast<int>(abi) : 0;
}

Confinement confine(const FsPolicy& policy) {
    const int abi = landlock_abi();
    if (abi == 0) return {};
    landlock_ruleset_attr attr{};
    attr.handled_access_fs = handled_rights(abi);
    UniqueFd ruleset(
        static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)));
    if (!ruleset) throw Error("sandbox: landlock_create_ruleset: {}", std::strerror(errno));
    for (const std::string& p : policy.read) add_rule(ruleset.get(), p, kRead);
    for (const std::string& p : policy.write) add_rule(ruleset.get(), p, kRead | write_rights(abi));
    for (const std::string& p : policy.execute)
        add_rule(ruleset.get(), p, LANDLOCK_ACCESS_FS_EXECUTE);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw Error("sandbox: prctl(PR_SET_NO_NEW_PRIVS): {}", std::strerror(errno));
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0)
        throw Error("sandbox: landlock_restrict_self: {}", std::strerror(errno));
    return {true, abi};
}

}  // namespace netius::sandbox
