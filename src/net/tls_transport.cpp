#include "net/tls_transport.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "crypto/ossl.hpp"
#include "net/buffer.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

bool is_ip_literal(const std::string& host) {
    unsigned char addr[sizeof(in6_addr)];
    return ::inet_pton(AF_INET, host.c_str(), addr) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), addr) == 1;
}

// OpenSSL's reason for a failed call (and clears the queue); a verification failure says
// why the chain was refused.
std::string tls_reason(SSL* ssl) {
    const unsigned long code = ERR_peek_last_error();
    std::string reason = crypto::ossl_last_error("TLS failure");
    if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
        ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        const long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK)
            reason += fmt::format(" ({})", X509_verify_cert_error_string(verify));
    }
    return reason;
}

}  // namespace

void TlsTransport::give_up_setup(std::string reason) {
    error_ = std::move(reason);
    fatal_ = true;
    ssl_.reset();
}

TlsTransport::TlsTransport(std::shared_ptr<TlsContext> ctx, int fd, bool server,
                           const std::string& host)
    : ctx_(std::move(ctx)), fd_(fd) {
    if (!ctx_ || ctx_->is_server() != server) {
        give_up_setup(server ? "a TLS server transport needs a server context"
                             : "a TLS client transport needs a client context");
        return;
    }
    ERR_clear_error();
    ssl_.reset(SSL_new(ctx_->native()));
    if (!ssl_ || SSL_set_fd(ssl_.get(), fd) != 1) {
        give_up_setup("cannot set up TLS: " + crypto::ossl_last_error("out of memory"));
        return;
    }
    SSL* ssl = ssl_.get();
    SSL_set_mode(ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
    SSL_set_app_data(ssl, this);
    SSL_set_info_callback(ssl, &TlsTransport::on_info);
    if (server) {
        SSL_set_accept_state(ssl);
        return;
    }
    SSL_set_connect_state(ssl);
    if (host.empty()) {
        if (ctx_->verifies_peer()) give_up_setup("TLS verification needs the server's host name");
        return;
    }
    bool ok = true;
    if (is_ip_literal(host)) {
        if (ctx_->verifies_peer())
            ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
    } else {
        ok = SSL_set_tlsext_host_name(ssl, host.c_str()) == 1;
        if (ok && ctx_->verifies_peer()) {
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            ok = SSL_set1_host(ssl, host.c_str()) == 1;
        }
    }
    if (!ok)
        give_up_setup(fmt::format("cannot use '{}' as the TLS host name: {}", host,
                                  crypto::ossl_last_error("invalid name")));
}

TlsTransport::~TlsTransport() = default;

void TlsTransport::on_info(const ssl_st* ssl, int where, int value) {
    // value: alert level << 8 | description (RFC 8446 §6).
    if ((where & SSL_CB_READ_ALERT) && (value & 0xff) == SSL_AD_CLOSE_NOTIFY)
        static_cast<TlsTransport*>(SSL_get_app_data(ssl))->close_notify_received_ = true;
}

std::unique_ptr<TlsTransport> TlsTransport::accept(std::shared_ptr<TlsContext> ctx, int fd) {
    return std::unique_ptr<TlsTransport>(new TlsTransport(std::move(ctx), fd, true, {}));
}

std::unique_ptr<TlsTransport> TlsTransport::connect(std::shared_ptr<TlsContext> ctx, int fd,
                                                    const std::string& host) {
    return std::unique_ptr<TlsTransport>(new TlsTransport(std::move(ctx), fd, false, host));
}

IoResult TlsTransport::handshake() {
    if (!ssl_) return {IoStatus::Error, 0, EPROTO};
    if (established_) return {};
    ERR_clear_error();
    errno = 0;
    const int ret = SSL_do_handshake(ssl_.get());
    if (ret == 1) {
        established_ = true;
        return {};
    }
    IoResult r = failure(ret, false);
    if (r.status == IoStatus::Eof) {  // the peer left before the handshake ended
        fatal_ = true;
        truncated_ = false;
        error_ = "the peer closed the connection during the TLS handshake";
        r = {IoStatus::Error, 0, EPROTO};
    }
    return r;
}

IoResult TlsTransport::read(Buffer& in) {
    if (!ssl_ || fatal_) return {IoStatus::Error, 0, EPROTO};
    in.ensure_writable(kReadChunk);
    std::size_t n = 0;
    ERR_clear_error();
    errno = 0;
    if (SSL_read_ex(ssl_.get(), in.begin_write(), kReadChunk, &n) == 1) {
        in.has_written(n);
        return {IoStatus::Ok, n, 0};
    }
    IoResult r = failure(0, true);
    if (truncated_) spdlog::debug("TLS peer on fd {} closed without close_notify", fd_);
    return r;
}

IoResult TlsTransport::write(const char* data, std::size_t len) {
    if (!ssl_ || fatal_) return {IoStatus::Error, 0, EPIPE};
    if (len == 0) return {};
    std::size_t n = 0;
    ERR_clear_error();
    errno = 0;
    // SSL_MODE_ENABLE_PARTIAL_WRITE: success once at least one record went out.
    if (SSL_write_ex(ssl_.get(), data, len, &n) == 1) return {IoStatus::Ok, n, 0};
    IoResult r = failure(0, false);
    if (r.status == IoStatus::Eof) {  // the peer is gone: nothing more can be sent
        fatal_ = true;
        error_ = std::strerror(EPIPE);
        r = {IoStatus::Error, 0, EPIPE};
    }
    return r;
}

IoResult TlsTransport::failure(int ret, bool reading) {
    const int saved_errno = errno;
    const int code = SSL_get_error(ssl_.get(), ret);
    switch (code) {
        case SSL_ERROR_WANT_READ:
            return {IoStatus::WantRead, 0, 0};
        case SSL_ERROR_WANT_WRITE:
            return {IoStatus::WantWrite, 0, 0};
        case SSL_ERROR_ZERO_RETURN:
            // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a bare FIN: the info callback
            // saw which.
            ERR_clear_error();
            truncated_ = !close_notify_received_;
            return {IoStatus::Eof, 0, 0};
        case SSL_ERROR_SYSCALL:
            ERR_clear_error();
            if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK || saved_errno == EINTR)
                return {reading ? IoStatus::WantRead : IoStatus::WantWrite, 0, 0};
            fatal_ = true;
            if (saved_errno != 0) {
                error_ = std::strerror(saved_errno);
                return {IoStatus::Error, 0, saved_errno};
            }
            break;  // end of stream without close_notify, as OpenSSL reports it without
                    // SSL_OP_IGNORE_UNEXPECTED_EOF
        case SSL_ERROR_SSL:
            fatal_ = true;
            verify_failed_ =
                ctx_->verifies_peer() && SSL_get_verify_result(ssl_.get()) != X509_V_OK;
            error_ = tls_reason(ssl_.get());
            return {IoStatus::Error, 0, EPROTO};
        default:
            fatal_ = true;
            ERR_clear_error();
            error_ = fmt::format("unexpected OpenSSL state (SSL_get_error {})", code);
            return {IoStatus::Error, 0, EPROTO};
    }
    // The peer sent FIN without close_notify. Treated as end of stream, like most servers do;
    // noted because the data before it could have been cut short by a third party.
    truncated_ = true;
    return {IoStatus::Eof, 0, 0};
}

IoResult TlsTransport::shutdown_write() {
    if (ssl_ && established_ && !fatal_) {
        ERR_clear_error();
        errno = 0;
        // 0: our close_notify is out and the peer's has not come yet; 1: both are done.
        // < 0 (the socket is full, or the peer is gone): the alert is dropped, the FIN
        // below still ends the stream.
        if (SSL_shutdown(ssl_.get()) < 0) {
            spdlog::debug("TLS close_notify on fd {} not sent", fd_);
            ERR_clear_error();
        }
    }
    if (int err = sockets::shutdown_write(fd_)) {
        error_ = std::strerror(err);
        return {IoStatus::Error, 0, err};
    }
    return {};
}

bool TlsTransport::has_buffered_input() const {
    return ssl_ && !fatal_ && SSL_has_pending(ssl_.get()) == 1;
}

std::string_view TlsTransport::alpn() const {
    const unsigned char* data = nullptr;
    unsigned int len = 0;
    if (ssl_) SSL_get0_alpn_selected(ssl_.get(), &data, &len);
    return data ? std::string_view(reinterpret_cast<const char*>(data), len) : std::string_view();
}

std::string TlsTransport::error_string(const IoResult& result) const {
    return error_.empty() ? Transport::error_string(result) : error_;
}

std::string_view TlsTransport::protocol() const {
    return established_ ? SSL_get_version(ssl_.get()) : std::string_view();
}

std::string_view TlsTransport::cipher() const {
    return established_ ? SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_.get()))
                        : std::string_view();
}

TransportFactory make_tls_server_factory(std::shared_ptr<TlsContext> ctx) {
    if (!ctx || !ctx->is_server()) throw Error("a TLS server needs a server TLS context");
    return [ctx = std::move(ctx)](int fd) -> std::unique_ptr<Transport> {
        return TlsTransport::accept(ctx, fd);
    };
}

TransportFactory make_tls_client_factory(std::shared_ptr<TlsContext> ctx, std::string host) {
    if (!ctx || ctx->is_server()) throw Error("a TLS client needs a client TLS context");
    return [ctx = std::move(ctx), host = std::move(host)](int fd) -> std::unique_ptr<Transport> {
        return TlsTransport::connect(ctx, fd, host);
    };
}

}  // namespace netius::net
