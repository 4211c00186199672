#include "net/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <system_error>

namespace netius::net {

WorkerPool::WorkerPool(std::string name, std::size_t threads, std::size_t max_queued)
    : name_(std::move(name)),
      thread_count_(std::max<std::size_t>(threads, 1)),
      max_queued_(max_queued) {}

bool WorkerPool::start_threads() {
    try {
        while (threads_.size() < thread_count_) threads_.emplace_back([this] { run(); });
    } catch (const std::system_error& e) {
        spdlog::error("{}: cannot start a worker thread: {}", name_, e.what());
    }
    return !threads_.empty();
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

bool WorkerPool::submit(Job job) {
    if (threads_.empty() && !start_threads()) return false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || jobs_.size() >= max_queued_) return false;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

std::size_t WorkerPool::pending() const {
    std::lock_guard lock(mutex_);
    return jobs_.size() + running_;
}

void WorkerPool::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
            ++running_;
        }
        try {
            job();
        } catch (const std::exception& e) {
            spdlog::critical("bug: {} job threw: {}", name_, e.what());
        } catch (...) {
            spdlog::critical("bug: {} job threw a non-standard exception", name_);
        }
        job = nullptr;  // its captures die on this thread, before the count drops
        std::lock_guard lock(mutex_);
        --running_;
    }
}

}  // namespace netius::net
