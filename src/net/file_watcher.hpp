#pragma once
// FileWatcher — calls back when one of a set of files changes on disk (inotify(7)), for
// `serve wsgi --reload`. It watches each file's directory rather than the file, so an editor
// that saves by writing a new file and renaming it over the old one (vim, most IDEs) is seen
// as well as one that rewrites in place. Events that come in a burst (one save is several)
// are reported once, `settle` after the first; then the watcher listens again.
// Thread-safety: loop thread only (constructor and destructor included).
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/callbacks.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class Channel;
class EventLoop;

class FileWatcher {
  public:
    using ChangeCallback = std::function<void(const std::string& path)>;

    /// Watches `files` (paths as given; those that do not exist are skipped with a debug
    /// line). Throws netius::Error when inotify cannot be set up (e.g. its watch limit).
    FileWatcher(EventLoop* loop, const std::vector<std::string>& files, ChangeCallback on_change,
                std::chrono::milliseconds settle = std::chrono::milliseconds(200));
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    /// Number of files being watched.
    std::size_t size() const { return watched_; }

  private:
    void handle_read();

    EventLoop* loop_;
    UniqueFd fd_;
    std::unique_ptr<Channel> channel_;
    ChangeCallback on_change_;
    std::chrono::milliseconds settle_;
    std::unordered_map<int, std::string> dirs_;  // watch descriptor -> directory
    std::set<std::string> files_;                // absolute paths
    std::size_t watched_ = 0;
    std::string changed_;  // the first file of the current burst
    TimerId settle_timer_;
};

}  // namespace netius::net
