#include "net/proxy_first_transport.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <variant>

#include "net/buffer.hpp"
#include "net/proxy_protocol.hpp"

namespace netius::net {
namespace {

class ProxyFirstTransport final : public Transport {
  public:
    ProxyFirstTransport(int fd, std::unique_ptr<Transport> inner)
        : fd_(fd), inner_(std::move(inner)) {}

    IoResult handshake() override {
        if (!have_header_) {
            IoResult r = read_header();
            if (r.status != IoStatus::Ok) return r;
        }
        return inner_->handshake();
    }
    IoResult read(Buffer& in) override {
        if (!header_.empty()) {  // the header first, as if it had come through the transport
            in.append(header_);
            IoResult r{IoStatus::Ok, header_.size(), 0};
            std::string().swap(header_);
            return r;
        }
        return inner_->read(in);
    }
    IoResult write(const char* data, std::size_t len) override { return inner_->write(data, len); }
    IoResult shutdown_write() override { return inner_->shutdown_write(); }
    bool has_buffered_input() const override {
        return !header_.empty() || inner_->has_buffered_input();
    }
    bool can_send_file() const override { return inner_->can_send_file(); }
    IoResult send_file(int file_fd, off_t offset, std::size_t len) override {
        return inner_->send_file(file_fd, offset, len);
    }
    std::string_view alpn() const override { return inner_->alpn(); }
    std::string_view name() const override { return inner_->name(); }
    bool has_close_handshake() const override { return inner_->has_close_handshake(); }
    std::string error_string(const IoResult& r) const override {
        if (r.error == EPROTO && !have_header_) return "bad PROXY protocol header";
        return inner_->error_string(r);
    }

  private:
    // Takes the header off the socket and nothing after it: peeks at what has arrived and
    // consumes only bytes that belong to the header (all of them while it is incomplete, so
    // a level-triggered poller does not report them again; up to its end once it is whole).
    IoResult read_header() {
        char buf[kMaxProxyV2Bytes];
        const std::size_t room = sizeof buf - header_.size();
        ssize_t n;
        do {
            n = ::recv(fd_, buf, room, MSG_PEEK);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WantRead, 0, 0};
            return {IoStatus::Error, 0, errno};
        }
        if (n == 0) return {IoStatus::Error, 0, ECONNRESET};
        std::string candidate = header_;
        candidate.append(buf, static_cast<std::size_t>(n));
        const ProxyResult parsed = parse_proxy_header(candidate);
        if (std::holds_alternative<ProxyError>(parsed)) return {IoStatus::Error, 0, EPROTO};
        const auto* whole = std::get_if<ProxyHeader>(&parsed);
        const std::size_t take =
            whole ? whole->consumed - header_.size() : static_cast<std::size_t>(n);
        ssize_t got;
        do {
            got = ::recv(fd_, buf, take, 0);
        } while (got < 0 && errno == EINTR);
        if (got != static_cast<ssize_t>(take)) return {IoStatus::Error, 0, EPROTO};
        header_.append(buf, take);
        if (!whole) return {IoStatus::WantRead, 0, 0};
        have_header_ = true;
        return {};
    }

    int fd_;
    std::unique_ptr<Transport> inner_;
    std::string header_;  // read off the socket, not yet handed to the protocol
    bool have_header_ = false;
};

}  // namespace

TransportFactory proxy_header_first(TransportFactory inner) {
    return [inner = std::move(inner)](int fd) -> std::unique_ptr<Transport> {
        return std::make_unique<ProxyFirstTransport>(fd, inner(fd));
    };
}

}  // namespace netius::net
