#include "net/relay/group_sync.hpp"

namespace netius::net::relay {

int GroupSync::sync(std::string* error) {
    std::unique_lock lock(mutex_);
    if (!open_) open_ = std::make_shared<Batch>();
    const std::shared_ptr<Batch> mine = open_;
    ++mine->members;
    // The batch is only closed by the member that runs it, so while `mine` is not done it is
    // still open_; wait for the run in progress (which started before us) to end.
    cv_.wait(lock, [&] { return mine->done || !running_; });
    if (!mine->done) {
        open_.reset();  // later callers form the next batch
        running_ = true;
        lock.unlock();
        std::string text;
        const int err = barrier_(&text);
        lock.lock();
        running_ = false;
        mine->done = true;
        mine->err = err;
        mine->error = std::move(text);
        cv_.notify_all();
    }
    if (mine->err && error) *error = mine->error;
    return mine->err;
}

std::size_t GroupSync::pending() const {
    std::lock_guard lock(mutex_);
    return open_ ? open_->members : 0;
}

}  // namespace netius::net::relay
