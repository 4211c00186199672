#pragma once
// TcpServer — a listener on one EventLoop and the map of its connections (the owner in the
// connection lifetime sequence of tcp_connection.hpp). One loop; to use several cores, run N
// workers (processes), each with its own loop and a TcpServer with reuse_port on one port.
// Thread-safety: loop thread only, construction included.
//
// An echo server, the way a netius user builds one:
//
//     #include <csignal>
//     #include "net/event_loop.hpp"
//     #include "net/tcp_server.hpp"
//     using namespace netius::net;
//
//     int main() {
//         EventLoop loop;
//         TcpServer server(&loop, InetAddress::parse("127.0.0.1:9090"));
//         server.set_message_callback([](const TcpConnectionPtr& conn, Buffer& in) {
//             conn->send(in.view());
//             in.retrieve_all();
//         });
//         loop.on_signal(SIGINT, [&] { server.stop_accepting([&] { loop.quit(); }); });
//         server.start();
//         loop.loop();
//     }
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/acceptor.hpp"
#include "net/callbacks.hpp"
#include "net/inet_address.hpp"
#include "net/socket.hpp"
#include "net/tcp_connection.hpp"
#include "net/transport.hpp"

namespace netius::net {

class EventLoop;

struct TcpServerOptions {
    /// SO_REUSEPORT, for N worker processes each listening on the same port.
    bool reuse_port = false;
    int backlog = SOMAXCONN;
    /// TCP_NODELAY on accepted TCP connections: responses leave as soon as they are written
    /// (set on the listening socket, whose accepted sockets inherit it).
    bool tcp_nodelay = true;
    std::size_t high_water_mark = kDefaultHighWaterMark;
    std::size_t input_limit = Buffer::kDefaultMaxSize;
    /// Sent, best effort, to clients refused because the process is out of file descriptors
    /// (acceptor.hpp), e.g. an HTTP 503 or an SMTP 421; empty: they are just closed. Leave it
    /// empty for TLS: the client expects a handshake.
    std::string overload_reply;
};

class TcpServer {
  public:
    /// Binds and listens at once (so address() knows the port of "127.0.0.1:0"); accepts
    /// after start(). Throws netius::Error, e.g. "bind(127.0.0.1:9090): Address already in use".
    TcpServer(EventLoop* loop, const InetAddress& address, TcpServerOptions options = {});
    /// Adopts a socket that is already listening (systemd LISTEN_FDS, or bound by a parent
    /// before forking workers). Throws netius::Error if it is not a listening stream socket.
    TcpServer(EventLoop* loop, UniqueFd listening_fd, TcpServerOptions options = {});
    /// Closes the listener and every connection still open (their connection callback reports
    /// "down"). Do not destroy a server from one of its own callbacks: queue_in_loop it.
    ~TcpServer();
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    EventLoop* loop() const { return loop_; }
    /// The bound address: "127.0.0.1:41234" for a server asked for port 0.
    const InetAddress& address() const { return address_; }

    // Given to each new connection (later changes affect new connections only).
    void set_connection_callback(ConnectionCallback cb) { edit().connection = std::move(cb); }
    void set_message_callback(MessageCallback cb) { edit().message = std::move(cb); }
    void set_write_complete_callback(WriteCompleteCallback cb) {
        edit().write_complete = std::move(cb);
    }
    /// Fires at TcpServerOptions::high_water_mark.
    void set_high_water_mark_callback(HighWaterMarkCallback cb) {
        edit().high_water = std::move(cb);
    }
    void set_peer_shutdown_callback(ConnectionCallback cb) { edit().peer_shutdown = std::move(cb); }
    /// Default: PlainTransport. A TLS server passes a factory making its TLS transport; a
    /// factory returning nullptr refuses the connection (it is closed at once).
    void set_transport_factory(TransportFactory factory) {
        transport_factory_ = std::move(factory);
    }

    /// Starts accepting. Idempotent.
    void start();
    /// Graceful shutdown, step one: closes the listening socket (new clients go to other
    /// workers or are refused; a unix socket file we created is removed) and leaves open
    /// connections alone. `on_drained` runs (queued) once no connection is left, at once if
    /// none is open. Idempotent; a later call replaces `on_drained`.
    void stop_accepting(Functor on_drained = {});
    bool accepting() const { return acceptor_ && acceptor_->accepting(); }

    std::size_t connection_count() const { return connections_.size(); }
    /// Calls `f` for each open connection (e.g. to shut idle ones down). `f` may close
    /// connections: closing is deferred, the list does not change during the walk.
    void for_each_connection(const std::function<void(const TcpConnectionPtr&)>& f) const;

  private:
    void init(UniqueFd listening_fd);
    void new_connection(UniqueFd fd, const InetAddress& peer);
    void remove_connection(const TcpConnectionPtr& conn);
    void close_listener();
    void remove_unix_path();
    ConnectionCallbacks& edit();

    EventLoop* loop_;
    TcpServerOptions options_;
    InetAddress address_;
    std::unique_ptr<Acceptor> acceptor_;
    bool owns_unix_path_ = false;  // created by us: removed when the listener closes
    std::uint64_t unix_inode_ = 0;
    std::uint64_t next_id_ = 0;
    // The open connections, in no order: each knows its index (owner_slot), and removal moves
    // the last one into the hole (16 bytes a connection, where a hash map node took 50).
    std::vector<TcpConnectionPtr> connections_;
    Functor on_drained_;
    std::shared_ptr<const ConnectionCallbacks> callbacks_;  // shared by the connections
    TransportFactory transport_factory_;
};

}  // namespace netius::net
