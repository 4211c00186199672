#include "net/wsgi/threaded_body.hpp"

#include <spdlog/spdlog.h>

#include "net/http/h1/body_stream.hpp"
#include "net/wsgi/response_fill.hpp"

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
    try {
        py::gil_scoped_acquire gil;
        call.reset();
    } catch (...) {  // the interpreter is gone (shutdown): the call's objects go with it
    }
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

std::shared_ptr<bool> send_writes_at_once(AppCall& call, const std::shared_ptr<Flow>& flow,
                                          std::chrono::milliseconds write_timeout,
                                          bool head_request) {
    auto sent = std::make_shared<bool>(false);
    call.response().set_write_hook([&call, flow, sent, write_timeout, head_request] {
        if (!*sent) {
            *sent = true;
            call.mark_sent();
            auto head = std::make_shared<ResponseHead>(take_head(call));
            head->done = false;
            flow->resume.finish([head, flow](http::Response& res) {
                res.stream = std::make_unique<ThreadedBody>(flow, head->length);
                fill_response(*head, res);
            });
        }
        std::string data = call.response().take_written();
        bool gone;
        {
            std::lock_guard lock(flow->mutex);
            gone = flow->cancelled;
            if (!gone) flow->ready += data;
        }
        if (!gone) {
            flow->resume.wake();
            py::gil_scoped_release nogil;  // destroyed after `lock`: never waits for both
            std::unique_lock lock(flow->mutex);
            flow->taken.wait_for(lock, write_timeout, [&] {
                return flow->ready.size() < kWriteBacklog || flow->cancelled;
            });
            gone = flow->cancelled;
        }
        if (gone && !head_request) {
            PyErr_SetString(PyExc_OSError, "write(): the client closed the connection");
            throw py::error_already_set();
        }
    });
    return sent;
}

void continue_after_writes(const std::shared_ptr<Flow>& flow, std::unique_ptr<AppCall> call,
                           bool ok) {
    if (ok && call->file())
        spdlog::error("wsgi: a file_wrapper result after write() is not supported; cutting it");
    {
        std::lock_guard lock(flow->mutex);
        if (!ok || call->file()) {
            flow->failed = true;
        } else {
            flow->ready += call->first();
            flow->done = call->done();
            if (!flow->done && !flow->cancelled) flow->call = std::move(call);
        }
        flow->busy = false;
        if (flow->cancelled) return;  // `call`, if still here, is closed on return (GIL)
    }
    flow->resume.wake();
}

ThreadedBody::~ThreadedBody() {
    bool busy;
    {
        std::lock_guard lock(flow_->mutex);
        flow_->cancelled = true;
        busy = flow_->busy;
    }
    flow_->taken.notify_all();
    if (!busy) destroy_call_later(flow_);  // else the running job destroys it
}

http::BodyStatus ThreadedBody::pull(http::BodySink& out) {
    std::lock_guard lock(flow_->mutex);
    const bool wrote = !flow_->ready.empty();
    if (wrote) {
        out.write(flow_->ready);
        flow_->ready.clear();
        flow_->taken.notify_all();
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
