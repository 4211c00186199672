#pragma once
// FrontUpload — a client's request content, still arriving at the front (RequestBody), sent on
// to the upstream as it comes (http::Upload): the front reads the client only while the
// upstream connection takes it, so an upload of any size costs the two bounded windows. The
// first read asks the front for the content (`100 Continue` goes to a client that expects it,
// once the upstream is connected and the head sent).
//
// A client that sends nothing for the front's body read timeout while the upstream waits
// fails the upload (timed_out(): the proxy answers 408); a client that leaves or breaks its
// framing fails it too. A tunnel's bytes (`tunnel`: after a 101, a WebSocket) may pause as
// long as the tunnel lives: no stall timeout (the upstream's timeout bounds its silence).
// Loop thread only.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/callbacks.hpp"
#include "net/http/client/upload.hpp"
#include "net/http/request_body.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::proxy {

class FrontUpload final : public http::Upload, public std::enable_shared_from_this<FrontUpload> {
  public:
    /// `size`: the request's Content-Length (nullopt: chunked, or HTTP/2 without one).
    FrontUpload(EventLoop* loop, std::shared_ptr<http::RequestBody> body,
                std::optional<std::uint64_t> size, bool tunnel = false);
    ~FrontUpload() override;

    std::optional<std::uint64_t> size() const override { return size_; }
    http::BodyStatus read(std::string& out, std::size_t max) override;
    void set_ready(std::function<void()> ready) override;
    std::string error() const override { return error_; }
    bool consumed() const override { return consumed_; }
    /// The client sent nothing for the body read timeout.
    bool timed_out() const { return timed_out_; }

  private:
    void wake();
    void on_stall();

    EventLoop* loop_;
    std::shared_ptr<http::RequestBody> body_;
    std::optional<std::uint64_t> size_;
    std::function<void()> ready_;
    TimerId stall_;  // armed while the reader waits for the client
    std::string error_;
    bool consumed_ = false;
    bool waiting_ = false;
    bool timed_out_ = false;
    bool tunnel_;
};

}  // namespace netius::net::proxy
