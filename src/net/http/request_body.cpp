#include "net/http/request_body.hpp"

#include <algorithm>

namespace netius::net::http {

RequestBody::ReadStatus RequestBody::read(std::string& out, std::size_t max) {
    return take(out, max, true);
}

RequestBody::ReadStatus RequestBody::try_read(std::string& out, std::size_t max) {
    return take(out, max, false);
}

RequestBody::ReadStatus RequestBody::take(std::string& out, std::size_t max, bool wait) {
    bool notify = false;
    ReadStatus status;
    {
        std::unique_lock lock(mutex_);
        if (!demanded_) notify = demanded_ = true;
        if (notify) {  // 100 Continue goes out before we wait for what it asks for
            lock.unlock();
            if (hook_) hook_();
            lock.lock();
            notify = false;
        }
        if (wait)
            ready_.wait_for(lock, timeout_,
                            [&] { return pos_ < data_.size() || complete_ || failed_; });
        if (pos_ < data_.size()) {
            const std::size_t n = std::min(max, data_.size() - pos_);
            out.append(data_, pos_, n);
            pos_ += n;
            if (pos_ == data_.size()) {
                data_.clear();
                pos_ = 0;
            } else if (pos_ > window_ / 2) {  // compact: the window stays the bound
                data_.erase(0, pos_);
                pos_ = 0;
            }
            notify = full_ && data_.size() - pos_ <= window_ / 2;
            if (notify) full_ = false;
            status = ReadStatus::kData;
        } else if (failed_) {
            status = ReadStatus::kFailed;
        } else if (complete_) {
            status = ReadStatus::kEnd;
        } else {
            status = wait ? ReadStatus::kTimeout : ReadStatus::kEmpty;
        }
    }
    if (notify && hook_) hook_();
    return status;
}

std::string RequestBody::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void RequestBody::abandon() {
    {
        std::lock_guard lock(mutex_);
        abandoned_ = true;
        data_.clear();
        data_.shrink_to_fit();
        pos_ = 0;
        if (!complete_ && !failed_) {
            failed_ = true;
            error_ = "the response was sent before the request content was read";
        }
    }
    ready_.notify_all();
}

std::size_t RequestBody::space() const {
    std::lock_guard lock(mutex_);
    const std::size_t held = data_.size() - pos_;
    return held >= window_ ? 0 : window_ - held;
}

void RequestBody::push(std::string_view data) {
    if (data.empty()) return;
    {
        std::lock_guard lock(mutex_);
        if (abandoned_ || failed_) return;
        data_.append(data);
        if (data_.size() - pos_ >= window_) full_ = true;
    }
    ready_.notify_all();
    data_arrived();
}

bool RequestBody::hold_until_drained() {
    std::lock_guard lock(mutex_);
    if (data_.size() - pos_ <= window_ / 2) return false;
    full_ = true;
    return true;
}

void RequestBody::finish() {
    {
        std::lock_guard lock(mutex_);
        complete_ = true;
    }
    ready_.notify_all();
    data_arrived();
}

void RequestBody::fail(std::string reason) {
    {
        std::lock_guard lock(mutex_);
        if (complete_ || failed_) return;
        failed_ = true;
        error_ = std::move(reason);
    }
    ready_.notify_all();
    data_arrived();
}

bool RequestBody::complete() const {
    std::lock_guard lock(mutex_);
    return complete_;
}

bool RequestBody::demanded() const {
    std::lock_guard lock(mutex_);
    return demanded_;
}

}  // namespace netius::net::http
