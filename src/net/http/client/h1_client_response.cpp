// H1ClientSession's response side: the head, the body by its framing, the exchange's end.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "net/http/client/client_connection.hpp"
#include "net/http/client/h1_client_exchange.hpp"

namespace netius::net::http {
void H1ClientSession::on_message(Buffer& in) {
    last_activity_ = Clock::now();
    if (!exchange_) {  // bytes nobody asked for: the connection cannot be trusted any more
        spdlog::debug("{}: {} unexpected bytes on an idle connection", owner_.host(),
                      in.readable_bytes());
        in.retrieve_all();
        owner_.close();
        owner_.changed();
        return;
    }
    exchange_->bytes_in += in.readable_bytes() - std::min(unread_, in.readable_bytes());
    while (exchange_ && !in.empty()) {
        if (exchange_->phase == Phase::kHead && !read_head(in)) break;
        if (!exchange_ || exchange_->phase != Phase::kBody) continue;
        read_body(in);
        if (exchange_) break;  // the body took what there was and needs more
    }
    unread_ = exchange_ ? in.readable_bytes() : 0;
}

bool H1ClientSession::read_head(Buffer& in) {
    ClientResponseHead head;
    ParseResult r = parser_.parse(in.view(), head);
    if (std::holds_alternative<Incomplete>(r)) return false;
    if (auto* e = std::get_if<ParseError>(&r)) {
        fail(ExchangeError::Kind::kProtocol, fmt::format("malformed response: {}", e->reason));
        return false;
    }
    const std::size_t n = std::get<Complete>(r).consumed;
    if (exchange_->callbacks.head) exchange_->callbacks.head(in.view().substr(0, n), head);
    if (!exchange_) return false;  // the callback gave up on it
    Exchange& x = *exchange_;
    if (head.status == 101) {
        if (!x.upgrade || !x.upload) {
            fail(ExchangeError::Kind::kProtocol, "unexpected 101 Switching Protocols");
            return false;
        }
        // A tunnel from here: the rest of the connection, both ways, is the new protocol's.
        x.phase = Phase::kBody;
        x.framing = BodyFraming::kUntilClose;
        x.keep_alive = false;
        x.tunnel = true;
        in.retrieve(n);
        parser_.reset();
        start_upload();
        send_upload();
        return exchange_ != nullptr;
    }
    if (head.status >= 200) {  // 1xx: interim, the final response follows (RFC 9110 §15.2)
        x.phase = Phase::kBody;
        x.framing = body_framing(head, x.head_request);
        x.keep_alive = head.keep_alive;
        x.length = x.remaining = head.content_length.value_or(0);
        chunked_.reset();
        // A body may be large: read it in big pieces into one kept buffer.
        if (x.framing != BodyFraming::kNone) owner_.tcp()->set_input_reserve(kBodyReadReserve);
    }
    in.retrieve(n);
    parser_.reset();
    if (x.phase == Phase::kBody &&
        (x.framing == BodyFraming::kNone || (x.framing == BodyFraming::kLength && x.length == 0))) {
        complete(x.keep_alive && in.empty());
        return false;
    }
    return true;
}

void H1ClientSession::read_body(Buffer& in) {
    Exchange& x = *exchange_;
    switch (x.framing) {
        case BodyFraming::kLength: {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(in.readable_bytes(), x.remaining));
            x.remaining -= n;
            x.callbacks.data(in.view().substr(0, n));
            in.retrieve(n);
            if (exchange_ && x.remaining == 0) complete(x.keep_alive && in.empty());
            return;
        }
        case BodyFraming::kChunked:
            while (exchange_ && !in.empty()) {
                ChunkedStep step = chunked_.decode(in.view());
                if (!step.data.empty()) x.callbacks.data(step.data);
                in.retrieve(step.consumed);
                if (!exchange_) return;
                if (step.error) {
                    fail(ExchangeError::Kind::kProtocol,
                         fmt::format("malformed chunked content: {}", step.error->reason));
                    return;
                }
                if (step.done) {
                    complete(x.keep_alive && in.empty());
                    return;
                }
                if (step.consumed == 0) return;  // needs more bytes
            }
            return;
        case BodyFraming::kUntilClose:
            x.callbacks.data(in.view());
            in.retrieve_all();
            return;
        case BodyFraming::kNone:
            return;
    }
}

void H1ClientSession::complete(bool reusable) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    // Answered before all of the content was sent: the rest cannot follow on this connection.
    if (x->upload) {
        reusable = false;
        if (const auto& conn = owner_.tcp()) conn->set_write_complete_callback(nullptr);
    }
    // Idle, the connection gives its input storage back (freed once the input is consumed).
    if (const auto& conn = owner_.tcp()) conn->set_input_reserve(0);
    if (reusable) {
        last_activity_ = Clock::now();
        arm_timer(owner_.options().idle_timeout);
        // A pause belonged to the exchange that ended: the next one must read (and an idle
        // connection must see the server close it).
        if (paused_) {
            paused_ = false;
            if (const auto& conn = owner_.tcp()) conn->start_reading();
        }
    } else {
        owner_.close();
    }
    x->callbacks.done(std::nullopt);
    owner_.changed();
}

void H1ClientSession::fail(ExchangeError::Kind kind, std::string message, bool stale) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    owner_.close();
    if (x) x->callbacks.done(ExchangeError{kind, std::move(message), stale});
    owner_.changed();
}

}  // namespace netius::net::http
