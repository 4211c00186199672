#pragma once
// Transport — how a TcpConnection moves bytes over its socket: PlainTransport (TCP or unix
// sockets) here, a TLS transport (OpenSSL) elsewhere. Modelled on redis' connection.h/tls.c:
// the transport only performs I/O and says what it is waiting for; TcpConnection turns that
// into the socket's epoll interest, so TLS's WANT_READ/WANT_WRITE drive the channel:
//
//   read()  -> WantWrite: the connection enables EPOLLOUT and calls read() again when writable
//   write() -> WantRead:  the connection enables EPOLLIN and calls write() again when readable
//   handshake() -> WantRead/WantWrite: interest is exactly that until it returns Ok
//
// A transport is created for one connected socket (TransportFactory gets the fd), never owns
// or closes the fd (the connection's UniqueFd does), and is used on the connection's loop
// thread only. Its methods never throw and never block.
#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace netius::net {

class Buffer;

enum class IoStatus {
    Ok,         // progress: `bytes` moved (handshake: finished)
    WantRead,   // nothing moved; call again once the socket is readable
    WantWrite,  // nothing moved (or a partial write); call again once it is writable
    Eof,        // read only: the peer closed its side cleanly (TLS: close_notify or FIN)
    Error,      // fatal for the connection; `error` holds an errno value
};

struct IoResult {
    IoStatus status = IoStatus::Ok;
    std::size_t bytes = 0;
    /// errno for Error. The connection logs EPIPE, ECONNRESET, ECONNABORTED, ETIMEDOUT and
    /// EPROTO at debug level only (the peer's doing); report a peer's TLS failure (bad
    /// handshake, alert) as EPROTO and keep the details for error_string().
    int error = 0;
};

class Transport {
  public:
    virtual ~Transport() = default;

    /// Advances the handshake: Ok once it is complete (PlainTransport: at once), WantRead /
    /// WantWrite to be called again when the socket is ready, Error to give up.
    virtual IoResult handshake() = 0;

    /// One bounded read appended to `in` (PlainTransport: Buffer::read_fd). Ok with bytes > 0,
    /// WantRead when nothing is available, WantWrite (TLS), Eof, Error.
    virtual IoResult read(Buffer& in) = 0;

    /// Writes a prefix of [data, data + len): Ok with the bytes written (less than len when
    /// the socket is full), WantWrite when nothing could be written, WantRead (TLS), Error.
    /// After WantRead/WantWrite the same bytes are offered again first, possibly from another
    /// address and followed by more (TLS: SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER and
    /// SSL_MODE_ENABLE_PARTIAL_WRITE).
    virtual IoResult write(const char* data, std::size_t len) = 0;
    /// write(), telling the kernel more follows at once (MSG_MORE: a head before its file's
    /// sendfile leaves in one segment). Default: write().
    virtual IoResult write_more(const char* data, std::size_t len) { return write(data, len); }

    /// Ends our direction: plain sends FIN (shutdown(SHUT_WR)); TLS sends close_notify, then
    /// FIN. Called once, when the output queue is empty.
    virtual IoResult shutdown_write() = 0;

    /// True when bytes were taken off the socket but not yet returned by read() (decrypted
    /// TLS records held by OpenSSL): epoll will not report them, so the connection reads
    /// again without waiting for the fd.
    virtual bool has_buffered_input() const { return false; }

    /// sendfile(2) straight from a file to the socket; plain TCP only (TLS must encrypt in
    /// user space, so the connection reads the file in chunks and uses write()).
    virtual bool can_send_file() const { return false; }
    /// Like write(), from `len` bytes of `file_fd` at `offset`. Ok with 0 bytes means the file
    /// ended early. Only called when can_send_file().
    virtual IoResult send_file(int file_fd, off_t offset, std::size_t len);

    /// The socket's fd when bytes go to it as they are (plain): the connection may then hand
    /// its reads and writes to the loop's io_uring batch (IoBatch). -1 otherwise (TLS).
    virtual int batch_fd() const { return -1; }
    /// The ALPN protocol agreed in the handshake (RFC 7301), empty if none or not TLS.
    virtual std::string_view alpn() const { return {}; }
    /// "plain" or "tls", for logs.
    virtual std::string_view name() const = 0;
    /// True when ending the connection has a protocol of its own (TLS close_notify), so an
    /// abrupt close would look like a truncation attack to the peer: close via shutdown().
    virtual bool has_close_handshake() const { return false; }
    /// A readable reason for a result's error (default: strerror(result.error)).
    virtual std::string error_string(const IoResult& result) const;
};

/// Makes the transport of a freshly accepted or connected socket. Must not throw.
using TransportFactory = std::function<std::unique_ptr<Transport>(int fd)>;

/// Bytes as they are: read/readv, send(MSG_NOSIGNAL), sendfile, shutdown(SHUT_WR).
class PlainTransport final : public Transport {
  public:
    explicit PlainTransport(int fd) : fd_(fd) {}

    IoResult handshake() override { return {}; }
    IoResult read(Buffer& in) override;
    IoResult write(const char* data, std::size_t len) override;
    IoResult write_more(const char* data, std::size_t len) override;
    IoResult shutdown_write() override;
    bool can_send_file() const override { return true; }
    IoResult send_file(int file_fd, off_t offset, std::size_t len) override;
    int batch_fd() const override { return fd_; }
    std::string_view name() const override { return "plain"; }

    /// The default TransportFactory.
    static std::unique_ptr<Transport> make(int fd) { return std::make_unique<PlainTransport>(fd); }

  private:
    int fd_;
};

}  // namespace netius::net
