#pragma once
// TlsTransport — net::Transport over OpenSSL on one non-blocking connected socket (redis'
// tls.c shape): handshake/read/write/shutdown_write map OpenSSL's SSL_ERROR_WANT_READ/_WRITE
// onto IoStatus exactly as transport.hpp describes, so TcpConnection turns them into the
// socket's epoll interest. It never owns or closes the fd, never blocks, never throws.
//
//   auto ctx = TlsContext::server("key.pem", "cert.pem");        // or self_signed_server()
//   server.set_transport_factory(make_tls_server_factory(ctx));  // TcpServer now speaks TLS
//
// Results:
//   - read(): at most kReadChunk plaintext bytes per call (one record), appended to the
//     Buffer. The peer's close_notify is Eof; so is a bare FIN (end of stream without
//     close_notify): the session stays usable, so a half-closing client still gets its reply,
//     then our close_notify. The FIN case is noted (truncated(), a debug log) because a third
//     party can forge it: self-delimiting messages (HTTP requests, SMTP) are unaffected, but a
//     client reading a close-delimited HTTP response must check truncated().
//   - TLS failures (bad handshake, alerts, verification, garbage) are Error with EPROTO, which
//     TcpConnection logs at debug level; error_string() gives OpenSSL's reason, e.g.
//     "certificate verify failed (hostname mismatch)" or "wrong version number".
//   - Socket failures are Error with their errno (ECONNRESET, EPIPE, ...).
//
// Thread-safety: like every transport, the connection's loop thread only.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "net/tls_context.hpp"
#include "net/transport.hpp"

namespace netius::net {

class TlsTransport final : public Transport {
  public:
    static constexpr std::size_t kReadChunk = 16 * 1024;  // one TLS record (RFC 8446 §5.1)

    /// Server side of `fd` (a client context gives a transport whose handshake fails).
    /// Never throws; a failure to set up (out of memory) is reported by handshake().
    static std::unique_ptr<TlsTransport> accept(std::shared_ptr<TlsContext> ctx, int fd);
    /// Client side of `fd`. `host` is sent as SNI (unless it is an IP address, RFC 6066 §3)
    /// and, if the context verifies, must match the server's certificate: a DNS name against
    /// its DNS names, an IP address against its IP addresses (RFC 6125 §6). Never throws.
    static std::unique_ptr<TlsTransport> connect(std::shared_ptr<TlsContext> ctx, int fd,
                                                 const std::string& host);
    ~TlsTransport() override;

    IoResult handshake() override;
    IoResult read(Buffer& in) override;
    IoResult write(const char* data, std::size_t len) override;
    /// Sends close_notify (RFC 8446 §6.1) if the session is still sound, then FIN. Does not
    /// wait for the peer's close_notify (we read on until it, or the FIN, arrives). If the
    /// socket cannot take the alert at once it is dropped and only the FIN goes.
    IoResult shutdown_write() override;
    /// Decrypted (or received but not yet decrypted) bytes are held by OpenSSL.
    bool has_buffered_input() const override;
    std::string_view alpn() const override;
    std::string_view name() const override { return "tls"; }
    bool has_close_handshake() const override { return true; }
    /// OpenSSL's reason for the last TLS failure; strerror for socket errors.
    std::string error_string(const IoResult& result) const override;

    /// "TLSv1.3", "TLSv1.2" once the handshake is done (for logs).
    std::string_view protocol() const;
    /// The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".
    std::string_view cipher() const;
    /// True once read() returned Eof for a peer that closed without close_notify.
    bool truncated() const { return truncated_; }
    /// True once the handshake failed because the verifying client refused the server's
    /// certificate (untrusted chain, expired, or not naming the host: RFC 6125).
    bool verify_failed() const { return verify_failed_; }
    bool handshake_done() const { return established_; }

  private:
    TlsTransport(std::shared_ptr<TlsContext> ctx, int fd, bool server, const std::string& host);
    /// A transport that could not be set up: its handshake fails with `reason`.
    void give_up_setup(std::string reason);
    /// Maps a failed SSL_* call's return value (ret <= 0) to an IoResult.
    IoResult failure(int ret, bool reading);
    /// OpenSSL's info callback: records that the peer's close_notify arrived.
    static void on_info(const ssl_st* ssl, int where, int value);

    std::shared_ptr<TlsContext> ctx_;  // outlives ssl_, whose callbacks point into it
    SslPtr ssl_;
    int fd_;
    bool established_ = false;
    bool fatal_ = false;  // no more TLS on this session (OpenSSL forbids SSL_shutdown after)
    bool truncated_ = false;
    bool verify_failed_ = false;
    bool close_notify_received_ = false;
    std::string error_;  // the reason of the last Error
};

/// A TcpServer transport factory: each accepted socket gets TlsTransport::accept(ctx, fd).
/// Throws netius::Error (at once, not per connection) if `ctx` is not a server context.
TransportFactory make_tls_server_factory(std::shared_ptr<TlsContext> ctx);

/// A TcpClient transport factory for connections to `host` (see TlsTransport::connect).
/// Throws netius::Error if `ctx` is not a client context.
TransportFactory make_tls_client_factory(std::shared_ptr<TlsContext> ctx, std::string host);

}  // namespace netius::net
