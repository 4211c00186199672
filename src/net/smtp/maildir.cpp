#include "net/smtp/maildir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include <fmt/format.h>

#include "util/durable_file.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::smtp {
namespace {

int fail(std::string* error, const std::string& call, int err) {
    if (error) *error = errno_message(call, err);
    return err;
}

// mkdir that tolerates an existing directory; `created` tells whether it was made now.
int make_dir(const std::string& path, bool& created, std::string* error) {
    created = false;
    if (::mkdir(path.c_str(), 0700) == 0) {
        created = true;
        return 0;
    }
    const int err = errno;
    struct stat st {};
    if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return fail(error, fmt::format("mkdir({})", path), err == EEXIST ? ENOTDIR : err);
}

std::string escape_hostname(std::string_view host) {
    std::string out;
    for (char c : host) {
        if (c == '/')
            out += "\\057";
        else if (c == ':')
            out += "\\072";
        else
            out += c;
    }
    return out.empty() ? "localhost" : out;
}

}  // namespace

MaildirStore::MaildirStore(std::string root, bool single, const std::string& hostname)
    : root_(std::move(root)), single_(single), hostname_(escape_hostname(hostname)) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

void MaildirStore::prepare() {
    bool created = false;
    std::string error;
    if (make_dir(root_, created, &error) != 0) throw Error("--maildir: {}", error);
    if (single_ && ensure_maildir(root_, &error) != 0) throw Error("--maildir: {}", error);
}

bool MaildirStore::accepts_mailbox(std::string_view address) const {
    if (single_) return true;
    if (address.empty() || address.front() == '.') return false;
    return std::none_of(address.begin(), address.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return c == '/' || u < 32 || u == 127;
    });
}

std::string MaildirStore::maildir_of(std::string_view recipient) const {
    if (single_) return root_;
    // The domain is case-insensitive (RFC 5321 §2.4): one Maildir for Joe@EXAMPLE.com and
    // Joe@example.com; the local part is kept as sent.
    std::string box(recipient);
    const std::size_t at = box.rfind('@');
    if (at != std::string::npos)
        std::transform(box.begin() + static_cast<std::ptrdiff_t>(at), box.end(),
                       box.begin() + static_cast<std::ptrdiff_t>(at),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return root_ + "/" + box;
}

int MaildirStore::ensure_maildir(const std::string& dir, std::string* error) {
    {
        std::lock_guard lock(known_mutex_);
        if (known_.count(dir)) return 0;
    }
    bool created_dir = false, created_sub = false;
    if (int err = make_dir(dir, created_dir, error)) return err;
    // new/ last: a reader that takes new/ as the sign of a Maildir (mailbox.Maildir, MUAs)
    // never finds one without its cur/.
    for (const char* sub : {"/tmp", "/cur", "/new"}) {
        bool created = false;
        if (int err = make_dir(dir + sub, created, error)) return err;
        created_sub = created_sub || created;
    }
    // New directory entries are durable only once their parent directory is synced.
    if (created_sub)
        if (int err = sync_directory(dir, error)) return err;
    if (created_dir) {
        const std::size_t slash = dir.rfind('/');
        const std::string parent = slash == std::string::npos ? "."
                                   : slash == 0               ? "/"
                                                              : dir.substr(0, slash);
        if (int err = sync_directory(parent, error)) return err;
    }
    std::lock_guard lock(known_mutex_);
    known_.insert(dir);
    return 0;
}

std::string MaildirStore::unique_name() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return fmt::format("{}.M{}P{}Q{}.{}", ts.tv_sec, ts.tv_nsec / 1000, ::getpid(), ++counter_,
                       hostname_);
}

int MaildirStore::deliver(std::string_view head, std::string_view body,
                          const std::vector<std::string>& recipients, std::string* error) {
    std::vector<std::string> boxes;
    for (const std::string& r : recipients) {
        std::string box = maildir_of(r);
        if (std::find(boxes.begin(), boxes.end(), box) == boxes.end()) boxes.push_back(box);
    }
    if (boxes.empty()) return fail(error, "deliver", EINVAL);
    for (const std::string& box : boxes)
        if (int err = ensure_maildir(box, error)) return err;

    const std::string name = unique_name();
    const std::string tmp = boxes[0] + "/tmp/" + name;
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd && errno == ENOENT) {  // the Maildir was removed since we last saw it
        {
            std::lock_guard lock(known_mutex_);
            known_.clear();
        }
        if (int err = ensure_maildir(boxes[0], error)) return err;
        fd.reset(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    }
    if (!fd) return fail(error, fmt::format("open({})", tmp), errno);

    std::vector<std::string> placed;  // files in new/ to remove if a later step fails
    auto undo = [&](int err) {
        for (const std::string& p : placed) ::unlink(p.c_str());
        ::unlink(tmp.c_str());
        return err;
    };
    if (int err = write_pieces(fd.get(), {head, body}, tmp, error)) return undo(err);
    if (::fsync(fd.get()) < 0) return undo(fail(error, fmt::format("fsync({})", tmp), errno));
    fd.reset();
    for (std::size_t i = 1; i < boxes.size(); ++i) {
        std::string target = boxes[i] + "/new/" + name;
        if (::link(tmp.c_str(), target.c_str()) < 0)
            return undo(fail(error, fmt::format("link({}, {})", tmp, target), errno));
        placed.push_back(std::move(target));
    }
    std::string first = boxes[0] + "/new/" + name;
    if (::rename(tmp.c_str(), first.c_str()) < 0)
        return undo(fail(error, fmt::format("rename({}, {})", tmp, first), errno));
    placed.push_back(std::move(first));
    for (const std::string& box : boxes)
        if (int err = sync_directory(box + "/new", error)) return undo(err);
    return 0;
}

}  // namespace netius::net::smtp
