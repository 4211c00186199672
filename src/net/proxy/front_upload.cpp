#include "net/proxy/front_upload.hpp"

#include <fmt/format.h>

#include "net/event_loop.hpp"

namespace netius::net::proxy {

using http::BodyStatus;
using ReadStatus = http::RequestBody::ReadStatus;

FrontUpload::FrontUpload(EventLoop* loop, std::shared_ptr<http::RequestBody> body,
                         std::optional<std::uint64_t> size, bool tunnel)
    : loop_(loop), body_(std::move(body)), size_(size), tunnel_(tunnel) {}

FrontUpload::~FrontUpload() {
    loop_->cancel(stall_);
    body_->set_data_hook(nullptr);
}

void FrontUpload::set_ready(std::function<void()> ready) {
    ready_ = std::move(ready);
    body_->set_data_hook([weak = weak_from_this()] {
        if (auto self = weak.lock()) self->wake();
    });
}

BodyStatus FrontUpload::read(std::string& out, std::size_t max) {
    if (timed_out_) return BodyStatus::kFailed;
    const std::size_t before = out.size();
    switch (body_->try_read(out, max)) {
        case ReadStatus::kData:
            consumed_ = consumed_ || out.size() > before;
            waiting_ = false;
            loop_->cancel(stall_);
            stall_ = {};
            return BodyStatus::kMore;
        case ReadStatus::kEnd:
            return BodyStatus::kDone;
        case ReadStatus::kFailed:
            error_ = body_->error();
            return BodyStatus::kFailed;
        case ReadStatus::kEmpty:
        case ReadStatus::kTimeout:
            break;
    }
    waiting_ = true;
    if (!stall_ && !tunnel_)
        stall_ = loop_->run_after(body_->timeout(), [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->on_stall();
        });
    return BodyStatus::kWait;
}

void FrontUpload::wake() {
    if (!waiting_) return;
    waiting_ = false;
    if (ready_) loop_->queue_in_loop([ready = ready_] { ready(); });  // never inside push()
}

void FrontUpload::on_stall() {
    stall_ = {};
    if (!waiting_) return;
    timed_out_ = true;
    error_ =
        fmt::format("the client sent no content for {} s",
                    std::chrono::duration_cast<std::chrono::seconds>(body_->timeout()).count());
    wake();
}

}  // namespace netius::net::proxy
