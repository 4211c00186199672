#pragma once
// The thread-pool side of `--threads N` (wsgi_handler.hpp): an AppCall runs on a pool thread
// (GIL taken there), its content is pulled there ahead of the connection (one piece at a
// time) and handed to the loop thread, which only moves bytes. The loop thread never holds
// the GIL: the call is created, pulled, closed and destroyed by pool jobs only.
#include <condition_variable>
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
    std::condition_variable taken;  // the loop took `ready`, or cancelled
    std::string ready;              // content made, not yet taken by the loop
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

/// write() data held for the loop at most (write() waits, GIL released, for it to be taken).
inline constexpr std::size_t kWriteBacklog = 1024 * 1024;

/// PEP 3333 write(): "transmitted or buffered for transmission before returning". Installs a
/// write hook on `call` before its start() (pool thread, GIL held; `flow->busy` true while the
/// app runs): the first write() finishes the deferred response (flow->resume) with the head
/// start_response gave and a ThreadedBody on `flow`; each write's data is handed to the loop
/// at once; write() waits (at most the write timeout) while kWriteBacklog bytes are untaken and
/// raises OSError once the client is gone (for a HEAD request, whose content the session
/// drops, it discards instead). The returned flag tells whether the head went out.
std::shared_ptr<bool> send_writes_at_once(AppCall& call, const std::shared_ptr<Flow>& flow,
                                          std::chrono::milliseconds write_timeout,
                                          bool head_request);

/// After start() of a call whose head went out at a write(): the call's first piece and the
/// rest of its iterable go to `flow` (a failure, or a file_wrapper result, cuts the response).
/// Pool thread, GIL held.
void continue_after_writes(const std::shared_ptr<Flow>& flow, std::unique_ptr<AppCall> call,
                           bool ok);

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
