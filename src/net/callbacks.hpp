#pragma once
// Callback types shared by the reactor classes. Every callback runs on the loop thread that
// owns the object it belongs to, and must not throw (Channel::handle_event logs an escaped
// exception as a bug and closes that one connection).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace netius::net {

class Buffer;
class TcpConnection;

using Clock = std::chrono::steady_clock;
using TcpConnectionPtr = std::shared_ptr<TcpConnection>;

using Functor = std::function<void()>;
using TimerCallback = std::function<void()>;

/// Names a timer for EventLoop::cancel. Default-constructed: no timer (cancel ignores it).
struct TimerId {
    std::uint64_t id = 0;
    explicit operator bool() const { return id != 0; }
};

/// Connection up (after the transport handshake) and down (once, when it closes); check
/// conn->connected() to tell which.
using ConnectionCallback = std::function<void(const TcpConnectionPtr&)>;
/// New bytes are in `input`; consume what you parse with input.retrieve(n), leave the rest.
using MessageCallback = std::function<void(const TcpConnectionPtr&, Buffer& input)>;
/// The output queue has just drained to zero bytes.
using WriteCompleteCallback = std::function<void(const TcpConnectionPtr&)>;
/// The output queue has just grown past the high-water mark; `queued` is its size in bytes.
using HighWaterMarkCallback = std::function<void(const TcpConnectionPtr&, std::size_t queued)>;
/// Internal: tells the owner (TcpServer) to erase the connection from its map.
using CloseCallback = std::function<void(const TcpConnectionPtr&)>;

}  // namespace netius::net
