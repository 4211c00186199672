#include "net/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "util/error.hpp"

namespace netius::net {

WorkerPool::WorkerPool(std::string name, std::size_t threads, std::size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
    try {
        for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
            threads_.emplace_back([this] { run(); });
    } catch (const std::system_error& e) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
        throw Error("{}: cannot start a worker thread: {}", name_, e.what());
    }
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
