#pragma once
// RequestBody — a request's content handed from the loop thread, as it arrives, to a handler
// reading it on another thread (HttpServerOptions::stream_request_bodies). A bounded byte
// channel: the session push()es decoded content (Content-Length or chunked) while space()
// allows and stops reading the socket when the window is full; a read() that drains it calls
// the demand hook, which resumes reading. The first read() also calls the hook: the session
// then sends `100 Continue` (RFC 9110 §10.1.1), so an app that answers without reading never
// asks the client for its content.
//
// Thread-safety: the producer calls (push, finish, fail, space, set_demand_hook) are the loop
// thread's; read() and abandon() are any one other thread's (never the loop thread's: read()
// blocks). The demand hook runs on the reading thread, outside the lock: it must only queue
// work to the loop (EventLoop::queue_in_loop).
//
// A reader on the loop thread itself (serve proxy, sending the content on to an upstream as
// it arrives) uses try_read(), which never waits, and set_data_hook(): the producer calls it
// after each push, finish or fail, so the reader knows when to try again.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace netius::net::http {

class RequestBody {
  public:
    /// `window`: bytes held at most before the session stops reading; `timeout`: how long a
    /// read() waits for content (the body read timeout).
    RequestBody(std::size_t window, std::chrono::milliseconds timeout)
        : window_(window), timeout_(timeout) {}

    enum class ReadStatus : std::uint8_t {
        kData,     // bytes were appended
        kEnd,      // the content is complete and all of it has been read
        kFailed,   // the client went away or sent bad framing (error() says which)
        kTimeout,  // no content arrived within the timeout
        kEmpty,    // try_read(): nothing yet (the data hook says when there is)
    };
    /// Appends up to `max` (> 0) bytes of content to `out`, waiting (at most the timeout) until
    /// there is some, the end, or a failure. Any thread but the loop's.
    ReadStatus read(std::string& out, std::size_t max);
    /// read() for a reader on the loop thread: never waits (kEmpty instead of waiting, never
    /// kTimeout). The demand hook runs as for read(), so it must still only queue work.
    ReadStatus try_read(std::string& out, std::size_t max);
    /// Why reads fail (after kFailed).
    std::string error() const;
    /// The answer is made: content held and pushed later is dropped, and a read() still to
    /// come fails (kFailed) unless the content was complete. Any thread.
    void abandon();

    /// Producer side, loop thread. Bytes the window can still take (0: stop reading).
    std::size_t space() const;
    /// Adds content (copied); dropped after abandon().
    void push(std::string_view data);
    /// A producer that grants the client credit as content is read (HTTP/2 flow control):
    /// false when at most half the window is held (grant now); true otherwise, and the next
    /// read that brings it down to half calls the demand hook (grant then).
    bool hold_until_drained();
    /// All of the content has been pushed.
    void finish();
    /// Wakes the reader with kFailed and `reason` (client disconnect, bad chunked framing).
    void fail(std::string reason);
    /// Whether finish() was called: the session has read the whole body.
    bool complete() const;
    /// Whether a reader has asked for content (the first read()).
    bool demanded() const;
    /// Called on the reading thread by the first read() and by reads that make room in a
    /// window that had filled up.
    void set_demand_hook(std::function<void()> hook) { hook_ = std::move(hook); }
    /// For a try_read() reader: runs on the loop thread after each push(), finish() and
    /// fail(), outside the lock (it may call try_read()). Set it before the first try_read().
    void set_data_hook(std::function<void()> hook) { data_hook_ = std::move(hook); }
    /// How long a read() waits for content (the body read timeout).
    std::chrono::milliseconds timeout() const { return timeout_; }

  private:
    const std::size_t window_;
    const std::chrono::milliseconds timeout_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::string data_;  // pushed, not yet read, from pos_
    std::size_t pos_ = 0;
    std::string error_;
    bool complete_ = false;
    bool failed_ = false;
    bool abandoned_ = false;
    bool demanded_ = false;
    bool full_ = false;  // the producer found no space: the next read must resume it
    // The body of read() and try_read(): `wait` false never waits.
    ReadStatus take(std::string& out, std::size_t max, bool wait);
    void data_arrived() {
        if (data_hook_) data_hook_();
    }

    std::function<void()> hook_;
    std::function<void()> data_hook_;
};

}  // namespace netius::net::http
