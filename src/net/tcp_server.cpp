#include "net/tcp_server.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

std::uint64_t inode_of(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

}  // namespace

TcpServer::TcpServer(EventLoop* loop, const InetAddress& address, TcpServerOptions options)
    : loop_(loop), options_(std::move(options)), address_(address) {
    sockets::ListenOptions listen;
    listen.reuse_port = options_.reuse_port;
    listen.backlog = options_.backlog;
    UniqueFd fd = sockets::listen_on(address, listen);
    if (address.is_unix()) {
        owns_unix_path_ = true;
        unix_inode_ = inode_of(address.host());
    }
    init(std::move(fd));
}

TcpServer::TcpServer(EventLoop* loop, UniqueFd listening_fd, TcpServerOptions options)
    : loop_(loop), options_(std::move(options)) {
    if (!sockets::is_listening(listening_fd.get()))
        throw Error("fd {} is not a listening stream socket", listening_fd.get());
    init(std::move(listening_fd));
}

void TcpServer::init(UniqueFd listening_fd) {
    loop_->assert_in_loop_thread();
    // Raw `this` in the close callback: the destructor detaches every connection first
    // (connect_destroyed), and a Disconnected connection never calls it again.
    edit().close = [this](const TcpConnectionPtr& c) { remove_connection(c); };
    address_ = sockets::local_address(listening_fd.get());
    // Accepted sockets inherit TCP_NODELAY from the listener on Linux: one setsockopt here
    // instead of one per connection (a system call is ~1.5 us of a short connection's time).
    if (!address_.is_unix()) {
        if (int err = sockets::set_tcp_nodelay(listening_fd.get(), options_.tcp_nodelay))
            spdlog::debug("setsockopt(listener, TCP_NODELAY): {}", std::strerror(err));
    }
    acceptor_ = std::make_unique<Acceptor>(loop_, std::move(listening_fd));
    acceptor_->set_overload_reply(options_.overload_reply);
    acceptor_->set_new_connection_callback(
        [this](UniqueFd fd, const InetAddress& peer) { new_connection(std::move(fd), peer); });
}

TcpServer::~TcpServer() {
    loop_->assert_in_loop_thread();
    acceptor_.reset();  // not inside the acceptor's callback (see the header): close now
    remove_unix_path();
    auto connections = std::move(connections_);
    connections_.clear();
    for (auto& conn : connections) conn->connect_destroyed();
}

ConnectionCallbacks& TcpServer::edit() {
    // Copy-on-write: connections already open keep the set they were given.
    auto copy = callbacks_ ? std::make_shared<ConnectionCallbacks>(*callbacks_)
                           : std::make_shared<ConnectionCallbacks>();
    copy->high_water_mark = options_.high_water_mark;
    ConnectionCallbacks& ref = *copy;
    callbacks_ = std::move(copy);
    return ref;
}

void TcpServer::start() {
    if (acceptor_ && !acceptor_->accepting()) acceptor_->start();
}

void TcpServer::stop_accepting(Functor on_drained) {
    close_listener();
    on_drained_ = std::move(on_drained);
    if (connections_.empty() && on_drained_) loop_->queue_in_loop(std::exchange(on_drained_, {}));
}

void TcpServer::close_listener() {
    if (!acceptor_) return;
    acceptor_->close();  // refused from now on, not queued in a backlog nobody accepts
    // We may be inside the acceptor's own callback (a new-connection handler stopping the
    // server): its object dies from the loop's queue, not under its feet.
    loop_->queue_in_loop([dead = std::shared_ptr<Acceptor>(std::move(acceptor_))] {});
    remove_unix_path();
}

void TcpServer::remove_unix_path() {
    if (owns_unix_path_) {
        const std::string path = address_.host();
        // Only if the file is still ours: another server may have replaced it meanwhile.
        if (unix_inode_ != 0 && inode_of(path) == unix_inode_ && ::unlink(path.c_str()) < 0)
            spdlog::warn(errno_message(fmt::format("unlink({})", path), errno));
        owns_unix_path_ = false;
    }
}

void TcpServer::for_each_connection(const std::function<void(const TcpConnectionPtr&)>& f) const {
    for (const auto& conn : connections_) f(conn);
}

void TcpServer::new_connection(UniqueFd fd, const InetAddress& peer) {
    const int raw = fd.get();
    std::unique_ptr<Transport> transport =
        transport_factory_ ? transport_factory_(raw) : PlainTransport::make(raw);
    if (!transport) {  // the factory logged why (e.g. no memory for a TLS session)
        spdlog::debug("no transport for {}; closing it", peer.to_string());
        return;
    }
    auto conn = std::make_shared<TcpConnection>(loop_, ++next_id_, std::move(fd), peer,
                                                std::move(transport));
    conn->set_input_limit(options_.input_limit);
    conn->set_callbacks(callbacks_);
    conn->set_owner_slot(static_cast<std::uint32_t>(connections_.size()));
    connections_.push_back(conn);
    conn->connect_established();
}

void TcpServer::remove_connection(const TcpConnectionPtr& conn) {
    TcpConnectionPtr keep = conn;  // `conn` may be the list's own entry
    const std::uint32_t slot = keep->owner_slot();
    if (slot < connections_.size() && connections_[slot] == keep) {
        if (slot + 1 != connections_.size()) {
            connections_[slot] = std::move(connections_.back());
            connections_[slot]->set_owner_slot(slot);
        }
        connections_.pop_back();
    }
    // The last reference now lives in this functor: the connection dies after it ran, outside
    // any of its own callbacks.
    loop_->queue_in_loop([keep] { keep->connect_destroyed(); });
    if (connections_.empty() && on_drained_) loop_->queue_in_loop(std::exchange(on_drained_, {}));
}

}  // namespace netius::net
