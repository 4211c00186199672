#include "util/privileges.hpp"

#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "util/error.hpp"

namespace netius {
namespace {

bool parse_id(std::string_view text, unsigned& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string step_error(const char* step) {
    return fmt::format("cannot give up root: {}: {}", step, std::strerror(errno));
}

}  // namespace

Identity resolve_identity(std::string_view spec) {
    const std::size_t colon = spec.find(':');
    const std::string user(spec.substr(0, colon));
    const std::string group(colon == std::string_view::npos ? "" : spec.substr(colon + 1));
    if (user.empty() || (colon != std::string_view::npos && group.empty()))
        throw UsageError("--user '{}': expected USER[:GROUP]", spec);
    Identity id;
    id.name = user;
    std::vector<char> buf(16384);
    unsigned number = 0;
    passwd pw{};
    passwd* found = nullptr;
    if (parse_id(user, number)) {
        id.uid = number;
        id.gid = number;
        if (::getpwuid_r(id.uid, &pw, buf.data(), buf.size(), &found) == 0 && found)
            id.gid = pw.pw_gid;
    } else {
        if (::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
            throw UsageError("--user: no user '{}'", user);
        id.uid = pw.pw_uid;
        id.gid = pw.pw_gid;
    }
    if (!group.empty()) {
        if (parse_id(group, number)) {
            id.gid = number;
        } else {
            ::group gr{};
            ::group* g = nullptr;
            if (::getgrnam_r(group.c_str(), &gr, buf.data(), buf.size(), &g) != 0 || !g)
                throw UsageError("--user: no group '{}'", group);
            id.gid = g->gr_gid;
        }
    }
    return id;
}

void give_tree(const std::string& path, const Identity& id) {
    // nftw's callback takes no context: the ids travel through thread-local storage.
    static thread_local const Identity* target = nullptr;
    static thread_local std::string failed;
    target = &id;
    failed.clear();
    const int rc = ::nftw(
        path.c_str(),
        [](const char* entry, const struct stat*, int, FTW*) {
            if (::lchown(entry, target->uid, target->gid) == 0) return 0;
            failed = entry;
            return -1;
        },
        16, FTW_PHYS);
    if (rc != 0)
        throw Error("cannot hand {} to {}: {}", failed.empty() ? path : failed, id.name,
                    std::strerror(errno));
}

void drop_to(const Identity& id) {
    if (::getuid() == id.uid && ::geteuid() == id.uid && ::getgid() == id.gid &&
        ::getegid() == id.gid)
        return;
    if (::setgroups(0, nullptr) != 0) throw Error("{}", step_error("setgroups"));
    if (::setresgid(id.gid, id.gid, id.gid) != 0) throw Error("{}", step_error("setresgid"));
    if (::setresuid(id.uid, id.uid, id.uid) != 0) throw Error("{}", step_error("setresuid"));
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw Error("{}", step_error("prctl(PR_SET_NO_NEW_PRIVS)"));
    if (id.uid != 0 && ::setuid(0) == 0) throw Error("cannot give up root: setuid(0) succeeded");
}

}  // namespace netius
