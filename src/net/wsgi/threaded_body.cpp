#include "net/wsgi/threaded_body.hpp"

#include <spdlog/spdlog.h>

#include "net/http/body_stream.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

// Pool job: the next piece of content (or the call's end).
void produce(const std::shared_ptr<Flow>& flow) {
    std::string piece;
    http::BodyStatus status;
    {
        py::gil_scoped_acquire gil;
        status = flow->call->next(piece, http::BodyStream::kPieceSize / 2);
    }
    bool cancelled;
    {
        std::lock_guard lock(flow->mutex);
        flow->ready += piece;
        flow->done = status == http::BodyStatus::kDone;
        flow->failed = status == http::BodyStatus::kFailed;
        flow->busy = false;
        cancelled = flow->cancelled;
    }
    if (cancelled) {
        py::gil_scoped_acquire gil;
        flow->call.reset();
    } else {
        flow->resume.wake();
    }
}

}  // namespace

Flow::~Flow() {
    if (!call) return;
    py::gil_scoped_acquire gil;
    call.reset();
}

void destroy_call_later(const std::shared_ptr<Flow>& flow) {
    auto pool = flow->pool.lock();
    if (pool && pool->submit([flow] {
            py::gil_scoped_acquire gil;
            flow->call.reset();
        }))
        return;
    spdlog::warn("wsgi: no thread to close an iterable; leaking it");
    (void)flow->call.release();
}

ThreadedBody::~ThreadedBody() {
    bool busy;
    {
        std::lock_guard lock(flow_->mutex);
        flow_->cancelled = true;
        busy = flow_->busy;
    }
    if (!busy) destroy_call_later(flow_);  // else the running job destroys it
}

http::BodyStatus ThreadedBody::pull(http::BodySink& out) {
    std::lock_guard lock(flow_->mutex);
    const bool wrote = !flow_->ready.empty();
    if (wrote) {
        out.write(flow_->ready);
        flow_->ready.clear();
    }
    if (flow_->failed) return http::BodyStatus::kFailed;
    if (flow_->done) return http::BodyStatus::kDone;
    if (!flow_->busy) {  // make the next piece while this one is being sent
        auto pool = flow_->pool.lock();
        flow_->busy = pool && pool->submit([flow = flow_] { produce(flow); });
        if (!flow_->busy) {
            spdlog::error("wsgi: thread pool full; cutting a response");
            return http::BodyStatus::kFailed;
        }
    }
    return wrote ? http::BodyStatus::kMore : http::BodyStatus::kWait;
}

}  // namespace netius::net::wsgi
