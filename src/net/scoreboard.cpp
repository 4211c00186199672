#include "net/scoreboard.hpp"

#include <sys/mman.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include "util/error.hpp"

namespace netius::net {

static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "slots are shared between processes: their atomics must not take locks");

std::int64_t steady_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string WorkerSlot::last_request_text() const {
    for (int attempt = 0; attempt < 4; ++attempt) {
        const std::uint32_t before = sequence.load(std::memory_order_acquire);
        if (before % 2 != 0) continue;
        char copy[sizeof last_request];
        std::memcpy(copy, last_request, sizeof copy);
        std::atomic_thread_fence(std::memory_order_acquire);
        if (sequence.load(std::memory_order_relaxed) == before)
            return std::string(copy, strnlen(copy, sizeof copy));
    }
    return {};
}

Scoreboard::Scoreboard(std::size_t slots) : size_(slots) {
    void* p = ::mmap(nullptr, sizeof(WorkerSlot) * slots, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw Error(errno_message("mmap(scoreboard)", errno));
    slots_ = static_cast<WorkerSlot*>(p);
    for (std::size_t i = 0; i < slots; ++i) new (&slots_[i]) WorkerSlot();
}

Scoreboard::~Scoreboard() {
    ::munmap(slots_, sizeof(WorkerSlot) * size_);
}

WorkerSlot* Scoreboard::claim(std::uint64_t max_requests) {
    for (std::size_t i = 0; i < size_; ++i) {
        WorkerSlot& s = slots_[i];
        if (s.get_state() != WorkerState::kFree) continue;
        s.requests = 0;
        s.max_requests = max_requests;
        s.last_request[0] = '\0';
        s.heartbeat_ms = steady_ms();
        s.set_state(WorkerState::kBooting);
        return &s;
    }
    return nullptr;
}

namespace {
WorkerSlot* g_slot = nullptr;  // this worker's slot; set once after fork, before threads
}

void WorkerStatus::attach(WorkerSlot* slot) {
    g_slot = slot;
}

void WorkerStatus::ready() {
    if (!g_slot) return;
    g_slot->heartbeat_ms = steady_ms();
    if (g_slot->get_state() == WorkerState::kBooting) g_slot->set_state(WorkerState::kReady);
}

void WorkerStatus::beat() {
    if (g_slot) g_slot->heartbeat_ms.store(steady_ms(), std::memory_order_relaxed);
}

void WorkerStatus::request_started(std::string_view method, std::string_view target) {
    WorkerSlot* s = g_slot;
    if (!s) return;
    s->sequence.fetch_add(1, std::memory_order_acq_rel);  // odd: being written
    const std::size_t room = sizeof s->last_request - 1;
    std::size_t n = std::min(method.size(), room);
    std::memcpy(s->last_request, method.data(), n);
    if (n < room) s->last_request[n++] = ' ';
    const std::size_t t = std::min(target.size(), room - n);
    std::memcpy(s->last_request + n, target.data(), t);
    s->last_request[n + t] = '\0';
    s->sequence.fetch_add(1, std::memory_order_release);
    const std::uint64_t served = s->requests.fetch_add(1, std::memory_order_relaxed) + 1;
    const std::uint64_t max = s->max_requests.load(std::memory_order_relaxed);
    if (max != 0 && served == max) s->set_state(WorkerState::kRetiring);
}

}  // namespace netius::net
