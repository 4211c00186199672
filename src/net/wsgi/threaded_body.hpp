#pragma once
// The thread-pool side of `--threads N` (wsgi_handler.hpp): an AppCall runs on a pool thread
// (GIL taken there), its content is pulled there ahead of the connection (one piece at a
// time) and handed to the loop thread, which only moves bytes. The loop thread never holds
// the GIL: the call is created, pulled, closed and destroyed by pool jobs only.
#include <memory>
#include <mutex>
#include <string>

#include "net/http/body_source.hpp"
#include "net/http/http_types.hpp"
#include "net/worker_pool.hpp"
#include "net/wsgi/app_call.hpp"

namespace netius::net::wsgi {

/// What ThreadedBody and its pool jobs share; guarded by `mutex` except `call`, which only
/// pool jobs touch, one at a time (`busy`), with the GIL held.
struct Flow {
    /// Frees a call still held (a pool job dropped at shutdown) with the GIL taken.
    ~Flow();

    std::mutex mutex;
    std::string ready;  // content made, not yet taken by the loop
    bool done = false;
    bool failed = false;
    bool busy = false;       // a pool job is using `call`
    bool cancelled = false;  // the loop side is gone: the job destroys `call`
    std::unique_ptr<AppCall> call;
    http::Resume resume;
    std::weak_ptr<WorkerPool> pool;
};

/// Destroys `flow->call` on a pool thread (GIL). Any thread.
void destroy_call_later(const std::shared_ptr<Flow>& flow);

/// The loop side: pull() takes what is ready and asks the pool for more; kWait when nothing
/// is ready (the pool job's Resume::wake() calls pull() again). The destructor (loop thread)
/// cancels: the call's close() runs on the pool.
class ThreadedBody final : public http::BodySource {
  public:
    ThreadedBody(std::shared_ptr<Flow> flow, std::optional<std::uint64_t> length)
        : flow_(std::move(flow)), length_(length) {}
    ~ThreadedBody() override;
    std::optional<std::uint64_t> size() const override { return length_; }
    http::BodyStatus pull(http::BodySink& out) override;

  private:
    std::shared_ptr<Flow> flow_;
    std::optional<std::uint64_t> length_;
};

}  // namespace netius::net::wsgi
