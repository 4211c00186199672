#include "net/file_watcher.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "net/channel.hpp"
#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net {

namespace fs = std::filesystem;

FileWatcher::FileWatcher(EventLoop* loop, const std::vector<std::string>& files,
                         ChangeCallback on_change, std::chrono::milliseconds settle)
    : loop_(loop),
      fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)),
      on_change_(std::move(on_change)),
      settle_(settle) {
    if (!fd_) throw Error(errno_message("inotify_init1()", errno));
    std::unordered_map<std::string, int> by_dir;
    for (const std::string& f : files) {
        std::error_code ec;
        const fs::path p = fs::absolute(f, ec).lexically_normal();
        if (ec || !fs::exists(p, ec)) {
            spdlog::debug("reload: not watching {}: no such file", f);
            continue;
        }
        const std::string dir = p.parent_path().string();
        if (!by_dir.count(dir)) {
            const int wd = ::inotify_add_watch(
                fd_.get(), dir.c_str(),
                IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB);
            if (wd < 0) throw Error(errno_message("inotify_add_watch(" + dir + ")", errno));
            by_dir[dir] = wd;
            dirs_[wd] = dir;
        }
        if (files_.insert(p.string()).second) ++watched_;
    }
    channel_ = std::make_unique<Channel>(loop_, fd_.get());
    channel_->set_read_callback([this] { handle_read(); });
    channel_->enable_reading();
}

FileWatcher::~FileWatcher() {
    loop_->cancel(settle_timer_);
    if (channel_) channel_->remove();
}

void FileWatcher::handle_read() {
    alignas(inotify_event) char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
        if (n <= 0) break;  // EAGAIN: drained
        for (char* p = buf; p < buf + n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(p);
            p += sizeof(inotify_event) + e->len;
            auto dir = dirs_.find(e->wd);
            if (dir == dirs_.end() || e->len == 0) continue;
            const std::string path = dir->second + "/" + e->name;
            if (!files_.count(path) || !changed_.empty()) continue;
            changed_ = path;
            settle_timer_ = loop_->run_after(settle_, [this] {
                settle_timer_ = {};
                const std::string path = std::move(changed_);
                changed_.clear();
                on_change_(path);
            });
        }
    }
}

}  // namespace netius::net
