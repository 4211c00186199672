#pragma once
// TcpConnection — one accepted (or connected) stream socket on one EventLoop: input Buffer,
// output queue, a Transport (plain/TLS) and the protocol's callbacks.
//
// Lifetime, one fixed sequence (architecture.md, house rule 4): the connection is a shared_ptr
// owned by its server's (or client's) map, and its Channel is tied to it by weak_ptr, so it
// is alive for the whole of any event it handles. Closing only changes state: the state
// becomes Disconnected, the connection callback reports "down", the owner's close callback
// erases it from the map and queues connect_destroyed(), and the object dies when that queued
// functor (holding the last reference) is destroyed — never inside one of its own callbacks.
// force_close() and write errors defer the close to the loop's pending queue, so a callback
// may close its own connection and keep using `conn` until it returns. Protocol timers must
// capture weak_from_this() (or a weak_ptr to the connection), never a raw pointer.
//
// Output (house rule 8): send() writes directly when nothing is queued and queues only the
// remainder (on a loop with an io_uring batch, a plain socket's reads and writes are queued
// for the batch instead, which runs them after the current events, before any deferred
// close: see io_batch.hpp); the high-water-mark callback fires when the queue crosses the mark
// upwards (stop producing, or stop_reading() the peer that feeds you); write-complete fires when it
// drains.
//
// Thread-safety: methods marked "any thread" may be called from other threads (they hop to the
// loop with run_in_loop); everything else is loop thread only.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "net/buffer.hpp"
#include "net/callbacks.hpp"
#include "net/channel.hpp"
#include "net/inet_address.hpp"
#include "net/io_batch.hpp"
#include "net/output_queue.hpp"
#include "net/transport.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class EventLoop;

/// Output queued beyond this fires the high-water-mark callback, unless set otherwise.
inline constexpr std::size_t kDefaultHighWaterMark = 4u << 20;

/// The protocol's callbacks for a connection. A server shares one immutable set among all its
/// connections (a connection that changes one gets its own copy), so an idle connection does
/// not carry a copy of every std::function.
struct ConnectionCallbacks {
    ConnectionCallback connection;
    MessageCallback message;  // without one, input is discarded
    WriteCompleteCallback write_complete;
    HighWaterMarkCallback high_water;
    std::size_t high_water_mark = kDefaultHighWaterMark;
    ConnectionCallback peer_shutdown;
    CloseCallback close;  // the owner's
};

class TcpConnection final : public std::enable_shared_from_this<TcpConnection>,
                            private ChannelHandler,
                            private IoBatchClient {
  public:
    enum class State : std::uint8_t { Connecting, Connected, Disconnecting, Disconnected };

    /// Owners (TcpServer/TcpClient) create it with std::make_shared, set the callbacks, then
    /// call connect_established(). `transport` works on `socket`'s fd.
    TcpConnection(EventLoop* loop, std::uint64_t id, UniqueFd socket, const InetAddress& peer,
                  std::unique_ptr<Transport> transport);
    ~TcpConnection();
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    // Identity (any thread: immutable).
    EventLoop* loop() const { return loop_; }
    std::uint64_t id() const { return id_; }
    /// When the connection was accepted (e.g. to bound a TLS handshake that never ends), or
    /// the time its owner last gave restamp(). Loop thread once restamped.
    Clock::time_point created() const { return created_; }
    /// For the owner: moves created() on, so that one clock reading per connection serves it
    /// without a field of its own (HttpServer: when an idle keep-alive connection put its
    /// session away, to time the idle period). Loop thread only.
    void restamp(Clock::time_point t) { created_ = t; }
    int fd() const { return socket_.get(); }
    const InetAddress& peer_address() const { return peer_; }
    /// getsockname(); throws netius::Error if the socket has no address any more.
    InetAddress local_address() const;

    State state() const { return state_; }
    /// True between the end of the handshake and the start of closing.
    bool connected() const { return state_ == State::Connected; }
    /// Why the connection failed (a read, write or handshake error, e.g. the TLS reason
    /// "certificate verify failed (hostname mismatch)"); empty while none did. A client reads
    /// it when its connection closes before coming up.
    const std::string& error() const;
    bool disconnected() const { return state_ == State::Disconnected; }

    /// Queues bytes for the peer (written at once when possible). Ignored unless Connecting or
    /// Connected (after shutdown()/close). Any thread (copies `data` when hopping threads).
    void send(std::string_view data);
    /// send(data.view()) then data.retrieve_all().
    void send(Buffer& data);
    /// Queues `length` bytes of `file` from `offset` behind what is queued (sendfile on plain
    /// TCP, 64 KiB reads for TLS); `file` is closed once sent or when the connection closes.
    void send_file(UniqueFd file, off_t offset, std::size_t length);
    /// Queues bytes without writing them yet, so that what the caller adds next (a file
    /// range, more bytes) leaves with them: a response head and its first content in one
    /// segment (the head goes with MSG_MORE before a sendfile) instead of a segment of its
    /// own. The caller must flush() or send_file() before it returns to the loop. Loop thread.
    void hold(std::string_view data);
    /// Writes what hold() (and sends behind it) queued.
    void flush();
    /// In-memory bytes waiting in the output queue.
    std::size_t queued_bytes() const { return output_.memory_bytes(); }
    /// Whether anything (bytes or file ranges) waits in the output queue.
    bool has_pending_output() const { return !output_.empty(); }
    /// Bytes written to the transport since the connection was made (progress for write
    /// timeouts: file ranges are not counted by queued_bytes()).
    std::uint64_t bytes_written() const { return bytes_written_; }
    /// bytes_written() less what the socket still holds unacknowledged: how much the peer has
    /// taken. It moves as a slow reader reads, where writes come only once the kernel frees
    /// much of a large send buffer (progress for an upload's timeout). One ioctl.
    std::uint64_t bytes_delivered() const;

    /// Half-close: once the output queue drains, end our direction (FIN / TLS close_notify).
    /// Reading continues until the peer closes too, then the connection closes. Any thread.
    void shutdown();
    /// Closes now, dropping queued output (deferred to the loop's queue, so it is safe inside
    /// any callback of this connection). Any thread.
    void force_close();
    /// Closes (without a half-close first) once the output queue has drained, at once when it
    /// is empty: for a protocol that has nothing left to read (nothing unread, or a RST could
    /// destroy the output in flight: use shutdown()). Loop thread.
    void close_after_output();

    /// Back-pressure on the peer: stop/resume reading its bytes. start_reading() delivers
    /// bytes already waiting in input() again (queued), so nothing stalls in the buffer.
    /// stop_reading() changes the poller's interest only once bytes arrive meanwhile.
    void stop_reading();
    void start_reading();
    bool is_reading() const { return reading_; }
    Buffer& input() { return input_; }
    /// Upper bound on unconsumed input; a connection over it after a message callback is
    /// closed (protocols should enforce their own, smaller limits first). Default 64 MiB.
    void set_input_limit(std::size_t bytes) { input_.set_max_size(bytes); }
    /// Bulk receivers (an HTTP client downloading): keep `bytes` of free input storage for
    /// every read, so one read takes up to that much (fewer reads, and on loopback fewer
    /// window updates doing the sender's work) and nothing is allocated per read. 0, the
    /// default, frees the storage whenever everything was consumed (idle connections cost
    /// nothing).
    void set_input_reserve(std::uint32_t bytes) { input_reserve_ = bytes; }
    /// TCP_NODELAY; ignored on unix sockets.
    void set_tcp_nodelay(bool on);

    /// Installs a shared set of callbacks (what TcpServer does for each new connection).
    void set_callbacks(std::shared_ptr<const ConnectionCallbacks> callbacks);
    // Per-connection changes (copy-on-write of the shared set).
    void set_connection_callback(ConnectionCallback cb) { edit().connection = std::move(cb); }
    void set_message_callback(MessageCallback cb) { edit().message = std::move(cb); }
    void set_write_complete_callback(WriteCompleteCallback cb) {
        edit().write_complete = std::move(cb);
    }
    void set_high_water_mark_callback(HighWaterMarkCallback cb, std::size_t mark) {
        ConnectionCallbacks& c = edit();
        c.high_water = std::move(cb);
        c.high_water_mark = mark;
    }
    /// The peer ended its direction (read returned end of stream); reading has stopped.
    /// Without this callback the connection calls shutdown(): queued output (e.g. the reply
    /// to the last request) still goes out, then the connection closes.
    void set_peer_shutdown_callback(ConnectionCallback cb) { edit().peer_shutdown = std::move(cb); }
    /// For the owner only: erases the connection from its map.
    void set_close_callback(CloseCallback cb) { edit().close = std::move(cb); }

    /// The protocol session of this connection (e.g. an HttpSession), kept alive with it.
    /// Untyped: the owner that sets it is the one that reads it, as the type it stored.
    void set_context(std::shared_ptr<void> context) { context_ = std::move(context); }
    template <class T>
    T* context() const {
        return static_cast<T*>(context_.get());
    }

    Transport& transport() { return *transport_; }
    /// STARTTLS (RFC 3207 §4, RFC 2595): once the queued output (the "go ahead" reply) has
    /// gone out in the clear, swap in `next`, run its handshake, then call `ready`. Bytes
    /// already in input() are not replayed through `next` (a client must not pipeline past
    /// STARTTLS). A failed handshake closes the connection.
    void upgrade_transport(std::unique_ptr<Transport> next, ConnectionCallback ready);

    /// For the owner's bookkeeping (TcpServer: where the connection is in its list).
    std::uint32_t owner_slot() const { return owner_slot_; }
    void set_owner_slot(std::uint32_t slot) { owner_slot_ = slot; }

    /// For the owner: starts the handshake; the connection callback reports "up" after it.
    void connect_established();
    /// For the owner, from its queued functor after the close callback (or when the owner is
    /// destroyed): reports "down" if not done yet, and removes the channel from the loop.
    void connect_destroyed();

  private:
    void channel_readable() override { handle_read(); }
    void channel_writable() override { handle_write(); }
    void channel_closed() override { handle_close(); }
    void channel_error() override { handle_error(); }
    bool channel_guard(std::shared_ptr<void>& guard) override {
        guard = weak_from_this().lock();  // events stop once the connection has expired
        return guard != nullptr;
    }
    IoBatch::Target batch_target(IoBatch::Op op) override;
    void batch_commit(IoBatch::Op op, int result) override;
    void batch_finish(IoBatch::Op op, int result) override;
    /// The loop's io_uring batch when this connection's I/O goes through it, else nullptr.
    IoBatch* batch() const;
    void queue_batched(IoBatch::Op op);
    void recv_done(int result);
    void send_done(int result);
    void handle_read();
    void handle_write();
    void handle_close();
    void handle_error();
    void read_once();
    void call_message();
    void after_message();
    /// Frees the input storage when nothing is unread and no input reserve is kept: an idle
    /// connection holds no input memory.
    void release_idle_input();
    void handle_eof();
    void flush_output();
    void output_drained();
    void fire_write_complete();
    void fire_high_water();
    void send_in_loop(const char* data, std::size_t len);
    void shutdown_in_loop();
    void shutdown_write_now();
    void close_soon();
    void begin_handshake();
    void continue_handshake();
    void handshake_done();
    void deliver_input();
    void read_again();
    void io_failed(const char* call, const IoResult& result);
    void update_interest();
    bool closing() const { return state_ == State::Disconnected || close_pending_; }
    /// Runs `Method` later from the loop's queue, inside the channel's catch boundary, if the
    /// connection still exists then (EventLoop::queue_call: no allocation).
    template <void (TcpConnection::*Method)()>
    void defer() {
        queue_call(&TcpConnection::run_deferred<Method>);
    }
    template <void (TcpConnection::*Method)()>
    static void run_deferred(void* self) {
        auto* conn = static_cast<TcpConnection*>(self);
        conn->channel_.run_held([conn] { (conn->*Method)(); });  // queue_call holds it
    }
    void queue_call(void (*call)(void*));
    ConnectionCallbacks& edit();

    EventLoop* loop_;
    const std::uint64_t id_;
    UniqueFd socket_;  // declared before channel_ and transport_: closed after both are gone
    std::uint32_t owner_slot_ = 0;  // the owner's bookkeeping (TcpServer: index in its list)
    Channel channel_;
    std::unique_ptr<Transport> transport_;
    struct Upgrade {  // a STARTTLS waiting for the output to drain, then for its handshake
        std::unique_ptr<Transport> next;
        ConnectionCallback ready;
    };
    std::unique_ptr<Upgrade> upgrade_;
    InetAddress peer_;
    Clock::time_point created_;
    State state_ = State::Connecting;
    bool reading_ : 1 = true;       // the user wants input
    bool read_kept_ : 1 = false;    // stop_reading() left the read interest registered
    bool handshaking_ : 1 = false;  // transport_->handshake() has not finished
    bool handshake_wants_write_ : 1 = false;
    bool read_wants_write_ : 1 = false;  // TLS: a read waits for writability
    bool write_wants_read_ : 1 = false;  // TLS: a write waits for readability
    bool held_ : 1 = false;              // hold()'s bytes wait for flush() or send_file()
    bool peer_closed_ : 1 = false;       // end of stream read
    bool shutdown_requested_ : 1 = false;
    bool write_shut_ : 1 = false;
    bool close_pending_ : 1 = false;
    bool read_queued_ : 1 = false;
    bool replay_queued_ : 1 = false;
    bool up_reported_ : 1 = false;         // the connection callback said "up"
    bool recv_batched_ : 1 = false;        // a recv waits in the loop's io_uring batch
    bool send_batched_ : 1 = false;        // a send of the output queue's front waits there
    bool recv_grow_ : 1 = false;           // the last batched recv filled its space: offer more
    bool close_when_drained_ : 1 = false;  // close_after_output(): close once output is sent
    std::uint32_t input_reserve_ = 0;
    Buffer input_;
    OutputQueue output_;
    std::uint64_t bytes_written_ = 0;
    std::shared_ptr<const ConnectionCallbacks> callbacks_;
    std::shared_ptr<void> context_;
    std::unique_ptr<std::string> error_;  // set once, on failure
};

}  // namespace netius::net
