#include "net/relay/queue_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/durable_file.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::relay {
namespace {

int fail(std::string* error, const std::string& call, const std::string& path) {
    const int err = errno;
    if (error) *error = errno_message(call + "(" + path + ")", err);
    return err;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

int read_file(const std::string& path, std::string& out, std::string* error) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return fail(error, "open", path);
    out.clear();
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(error, "read", path);
        if (n == 0) return 0;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

// An envelope file: the text before the first empty line (an ".env" that is a hard link to
// its message file), else the whole file. Read a chunk at a time so that listing a queue of
// big messages reads little; stops early when the file does not start with the magic line
// (parse_entry() rejects it). EFBIG when no empty line comes within kMaxEnvelope bytes.
constexpr std::size_t kMaxEnvelope = 4 << 20;

int read_envelope(const std::string& path, std::string& out, std::string* error) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return fail(error, "open", path);
    out.clear();
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(error, "read", path);
        if (n == 0) return 0;
        const std::size_t from = out.empty() ? 0 : out.size() - 1;
        out.append(buf, static_cast<std::size_t>(n));
        const std::size_t end = out.find("\n\n", from);
        if (end != std::string::npos) {
            out.resize(end + 1);
            return 0;
        }
        if (out.size() >= kQueueMagic.size() && !out.starts_with(kQueueMagic)) return 0;
        if (out.size() > kMaxEnvelope) {
            if (error) *error = "read(" + path + "): envelope too long";
            return EFBIG;
        }
    }
}

}  // namespace

QueueStore::QueueStore(std::string dir) : dir_(std::move(dir)) {}

void QueueStore::prepare() const {
    if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error(errno_message("mkdir(" + dir_ + ")", errno));
    struct stat st {};
    if (::stat(dir_.c_str(), &st) != 0) throw Error(errno_message("stat(" + dir_ + ")", errno));
    if (!S_ISDIR(st.st_mode)) throw Error("'{}' is not a directory", dir_);
}

std::string QueueStore::path(const std::string& id, const char* ext) const {
    return dir_ + "/" + id + ext;
}

int QueueStore::write_envelope(const QueueEntry& entry, std::string* error) const {
    const std::string env = path(entry.id, ".env"), tmp = env + ".tmp";
    ::unlink(tmp.c_str());  // left by a failed write of this id (calls per id never overlap)
    if (int err = write_new_file_synced(tmp, {format_entry(entry)}, error)) return err;
    if (::rename(tmp.c_str(), env.c_str()) != 0) {
        const int err = fail(error, "rename", tmp);
        ::unlink(tmp.c_str());
        return err;
    }
    return 0;
}

int QueueStore::add(const QueueEntry& entry, std::string_view content, std::string* error) const {
    const std::string eml = path(entry.id, ".eml"), env = path(entry.id, ".env");
    // Written under its final name: until ".env" exists it is an unfinished enqueue, which
    // load() removes, so a temporary name would only cost a rename.
    if (int err = write_new_file_synced(eml, {message_file_head(entry), content}, error))
        return err;
    // The envelope is already on disk at the head of the message file: a hard link commits
    // it with no data write. Where links are not supported, a file of its own.
    int err = ::link(eml.c_str(), env.c_str()) == 0 ? 0 : write_envelope(entry, error);
    if (err == 0) err = sync_directory(dir_, error);
    if (err) {
        ::unlink(env.c_str());  // not acknowledged: it must not be delivered after all
        ::unlink(eml.c_str());
    }
    return err;
}

int QueueStore::update(const QueueEntry& entry, std::string* error) const {
    if (int err = write_envelope(entry, error)) return err;
    return sync_directory(dir_, error);
}

int QueueStore::remove(const std::string& id, std::string* error) const {
    // No directory fsync: a removal lost in a crash only means the message is delivered
    // again after the restart (at-least-once), and skipping it keeps fsync off the loop.
    if (::unlink(path(id, ".env").c_str()) != 0 && errno != ENOENT)
        return fail(error, "unlink", path(id, ".env"));
    ::unlink(path(id, ".eml").c_str());  // an orphan left here is cleaned by load()
    return 0;
}

int QueueStore::read_message(const std::string& id, std::string& out, std::string* error) const {
    const std::string eml = path(id, ".eml");
    if (int err = read_file(eml, out, error)) return err;
    const auto at = message_offset(out);
    if (!at) {
        if (error) *error = "read(" + eml + "): no queue envelope at its head";
        return EINVAL;
    }
    out.erase(0, *at);
    return 0;
}

std::vector<QueueEntry> QueueStore::load(bool clean) const {
    DIR* d = ::opendir(dir_.c_str());
    if (!d) throw Error(errno_message("opendir(" + dir_ + ")", errno));
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
    ::closedir(d);
    std::sort(names.begin(), names.end());
    auto has = [&](const std::string& n) {
        return std::binary_search(names.begin(), names.end(), n);
    };
    std::vector<QueueEntry> out;
    for (const auto& name : names) {
        const std::string full = dir_ + "/" + name;
        if (!clean && !ends_with(name, ".env")) continue;
        if (ends_with(name, ".tmp")) {
            spdlog::warn("queue: removing {} (an interrupted write)", full);
            ::unlink(full.c_str());
        } else if (ends_with(name, ".eml") && !has(name.substr(0, name.size() - 4) + ".env")) {
            spdlog::warn("queue: removing {} (never committed)", full);
            ::unlink(full.c_str());
        } else if (ends_with(name, ".env")) {
            std::string text, error;
            if (read_envelope(full, text, &error) != 0) {
                spdlog::error("queue: {}", error);
                continue;
            }
            auto entry = parse_entry(text, &error);
            if (!entry || entry->id + ".env" != name) {
                spdlog::error("queue: skipping {}: {}", full, entry ? "id mismatch" : error);
            } else if (!has(entry->id + ".eml")) {
                spdlog::error("queue: skipping {}: its message file is missing", full);
            } else {
                out.push_back(std::move(*entry));
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const QueueEntry& a, const QueueEntry& b) {
        return a.created < b.created;
    });
    return out;
}

}  // namespace netius::net::relay
