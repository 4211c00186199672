#include "net/http/client/fetch.hpp"

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/http/char_class.hpp"
#include "net/http/client/redirect.hpp"

namespace netius::net::http {
namespace {

using Error = FetchResult::Error;

Error error_of(ExchangeError::Kind kind) {
    switch (kind) {
        case ExchangeError::Kind::kConnect:
            return Error::kConnect;
        case ExchangeError::Kind::kTimeout:
            return Error::kTimeout;
        case ExchangeError::Kind::kTls:
            return Error::kTls;
        case ExchangeError::Kind::kTlsVerify:
            return Error::kTlsVerify;
        case ExchangeError::Kind::kClosed:
            return Error::kClosed;
        case ExchangeError::Kind::kProtocol:
            return Error::kProtocol;
        case ExchangeError::Kind::kTruncated:
            return Error::kTruncated;
        case ExchangeError::Kind::kDns:
            return Error::kDns;
        case ExchangeError::Kind::kUpload:  // the caller's content source gave up
            return Error::kUpload;
        case ExchangeError::Kind::kBusy:  // only with HttpClientOptions' queue bounds
            return Error::kTimeout;
    }
    return Error::kClosed;
}

// Failures a later attempt may not meet (curl's "transient" errors).
bool transient(Error e) {
    return e == Error::kConnect || e == Error::kTimeout || e == Error::kClosed ||
           e == Error::kTruncated;
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

const char* FetchResult::error_name(Error e) {
    switch (e) {
        case Error::kNone:
            return "";
        case Error::kDns:
            return "dns";
        case Error::kConnect:
        case Error::kClosed:
            return "closed";  // netius reports a refused connection as "closed" too
        case Error::kTimeout:
            return "timeout";
        case Error::kTls:
        case Error::kTlsVerify:
            return "tls";
        case Error::kProtocol:
            return "protocol";
        case Error::kTruncated:
            return "truncated";
        case Error::kRedirects:
            return "redirects";
        case Error::kDecode:
            return "decode";
        case Error::kAborted:
            return "aborted";
        case Error::kUpload:
            return "upload";
        case Error::kRewind:
            return "rewind";
    }
    return "error";
}

std::shared_ptr<Fetch> Fetch::start(HttpClient& client, ClientRequest request, FetchOptions options,
                                    FetchCallbacks callbacks) {
    auto f = std::make_shared<Fetch>(client, std::move(request), options, std::move(callbacks));
    if (f->options_.max_time.count() > 0) {
        f->max_timer_ =
            client.loop()->run_after(f->options_.max_time, [weak = std::weak_ptr<Fetch>(f)] {
                auto self = weak.lock();
                if (!self || self->finished_) return;
                self->max_timer_ = {};
                self->finish(
                    Error::kTimeout,
                    fmt::format("Timeout: the transfer took longer than {:g} s",
                                std::chrono::duration<double>(self->options_.max_time).count()));
            });
    }
    f->send();
    return f;
}

Fetch::Fetch(HttpClient& client, ClientRequest request, FetchOptions options,
             FetchCallbacks callbacks)
    : client_(client),
      request_(std::move(request)),
      options_(options),
      callbacks_(std::move(callbacks)) {}

Fetch::~Fetch() {
    client_.loop()->cancel(max_timer_);
    client_.loop()->cancel(retry_timer_);
    if (exchange_) client_.cancel(exchange_);
}

void Fetch::send() {
    result_.url = request_.url.to_string();
    next_ = Next::kDeliver;
    delivered_ = false;
    sent_ = false;
    redirect_.reset();
    retry_after_.reset();
    ExchangeCallbacks cbs;
    cbs.info = callbacks_.info;
    std::weak_ptr<Fetch> weak = weak_from_this();
    cbs.request = [weak](std::string_view raw) {
        auto self = weak.lock();
        if (!self) return;
        self->sent_ = true;
        if (self->callbacks_.request) self->callbacks_.request(raw);
    };
    cbs.head = [weak](std::string_view raw, const ClientResponseHead& head) {
        if (auto self = weak.lock()) self->on_response(raw, head);
    };
    cbs.data = [weak](std::string_view data) {
        if (auto self = weak.lock()) self->on_data(data);
    };
    cbs.done = [weak](const std::optional<ExchangeError>& e) {
        if (auto self = weak.lock()) self->on_done(e);
    };
    exchange_ = client_.start(request_, std::move(cbs));
}

void Fetch::on_response(std::string_view raw, const ClientResponseHead& head) {
    if (finished_) return;
    if (callbacks_.response) callbacks_.response(raw, head);
    if (head.status < 200) return;  // interim
    result_.code = head.status;
    result_.status = std::string(head.reason);
    result_.version = head.version;
    result_.headers.clear();
    for (const Header& h : head.headers) result_.headers.emplace_back(h.name, h.value);
    const auto location = head.get("Location");
    if (options_.follow_redirects && is_redirect(head.status) && location) {
        if (result_.redirects >= options_.max_redirects) {
            finish(Error::kRedirects,
                   fmt::format("too many redirects (more than {})", options_.max_redirects));
            return;
        }
        ClientRequest next;
        std::string error;
        if (!redirect_request(request_, head.status, *location, next, error)) {
            finish(Error::kRedirects, error);
            return;
        }
        redirect_ = std::move(next);
        next_ = Next::kRedirect;
        return;
    }
    if (retryable_status(head.status) && result_.retries < options_.retries && resendable()) {
        next_ = Next::kRetry;
        if (auto ra = head.get("Retry-After")) retry_after_ = std::string(*ra);
        return;
    }
    next_ = Next::kDeliver;
    result_.received = result_.decoded = 0;
    std::vector<std::string_view> codings;
    if (options_.decode)
        for (const Header& h : head.headers)
            if (detail::iequals(h.name, "Content-Encoding")) codings.push_back(h.value);
    if (!decoder_.start(codings)) {
        finish(Error::kDecode, decoder_.error());
        return;
    }
    if (callbacks_.final_head) callbacks_.final_head(head);
}

void Fetch::on_data(std::string_view data) {
    if (finished_ || next_ != Next::kDeliver) return;  // a redirect's or a retry's content
    result_.received += data.size();
    result_.last = unix_now();
    const bool ok = decoder_.update(data, [this](std::string_view piece) {
        if (finished_ || piece.empty()) return;
        result_.decoded += piece.size();
        delivered_ = true;
        if (callbacks_.data) callbacks_.data(piece);
    });
    if (!ok && !finished_) finish(Error::kDecode, decoder_.error());
}

void Fetch::on_done(const std::optional<ExchangeError>& e) {
    exchange_ = 0;
    if (finished_) return;
    if (e) {
        const Error error = error_of(e->kind);
        // Content already handed on must be taken back first (curl refuses the same way).
        if (transient(error) && result_.retries < options_.retries && resendable() &&
            (!delivered_ || (callbacks_.restart && callbacks_.restart()))) {
            spdlog::warn("{}: {}; retrying", result_.url, e->message);
            retry_later(std::nullopt);
            return;
        }
        finish(error, e->message);
        return;
    }
    switch (next_) {
        case Next::kRedirect:
            ++result_.redirects;
            if (callbacks_.info)
                callbacks_.info(fmt::format("Following {} redirect to {}", result_.code,
                                            redirect_->url.to_string()));
            request_ = std::move(*redirect_);
            if (rewind_upload(fmt::format("follow the {} redirect", result_.code))) send();
            return;
        case Next::kRetry:
            spdlog::warn("{}: {} {}; retrying", result_.url, result_.code, result_.status);
            retry_later(retry_after_);
            return;
        case Next::kDeliver:
            break;
    }
    if (!decoder_.finish()) {
        finish(Error::kDecode, decoder_.error());
        return;
    }
    finish(Error::kNone, {});
}

void Fetch::retry_later(std::optional<std::string_view> retry_after) {
    ++result_.retries;
    const auto delay = retry_delay(result_.retries, options_.retry_delay, retry_after);
    if (callbacks_.info)
        callbacks_.info(fmt::format("Retry {} of {} in {:g} s", result_.retries, options_.retries,
                                    std::chrono::duration<double>(delay).count()));
    retry_timer_ = client_.loop()->run_after(delay, [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self || self->finished_) return;
        self->retry_timer_ = {};
        if (self->rewind_upload("retry")) self->send();
    });
}

bool Fetch::resendable() const {
    const auto& upload = request_.upload;
    return (idempotent(request_.method) || !sent_) && (!upload || upload->rewindable());
}

bool Fetch::rewind_upload(std::string_view why) {
    const auto& upload = request_.upload;
    if (!upload || !upload->consumed()) return true;
    if (!upload->rewindable()) {
        finish(Error::kRewind,
               fmt::format("the request content was read from a stream and cannot be sent "
                           "again to {} (necessary data rewind wasn't possible)",
                           why));
        return false;
    }
    upload->rewind();
    return true;
}

void Fetch::pause() {
    if (exchange_) client_.pause(exchange_);
}

void Fetch::resume() {
    if (exchange_) client_.resume(exchange_);
}

void Fetch::abort(std::string message) {
    if (!finished_) finish(Error::kAborted, std::move(message));
}

void Fetch::finish(Error error, std::string message) {
    if (finished_) return;
    finished_ = true;
    client_.loop()->cancel(max_timer_);
    client_.loop()->cancel(retry_timer_);
    if (exchange_) {
        client_.cancel(exchange_);
        exchange_ = 0;
    }
    result_.error = error;
    result_.message = std::move(message);
    if (callbacks_.done) callbacks_.done(result_);
}

}  // namespace netius::net::http
