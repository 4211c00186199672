#pragma once
// Buffer — a byte buffer for socket I/O in the muduo shape:
//
//     | prependable | readable (peek()..) | writable (begin_write()..) |
//     0          read_                  write_                    capacity
//
// Bytes are consumed by moving read_ (retrieve(n)), never by erasing; the readable bytes are
// moved to the front (compaction) only when an append needs the room and the consumed prefix
// is at least as long as what moves (so moving stays amortized), else the buffer doubles.
// read_fd() reads with one readv into the free space plus a 64 KiB stack spill, so a buffer
// can start empty: no storage is allocated until the first byte arrives, and release() gives
// it back when everything was consumed (an idle connection then holds no buffer memory).
// Blocks of up to 4 KiB come from and go back to the thread's block_pool, so a connection
// that takes and gives back its small blocks on every request costs malloc nothing.
//
// max_size() is a guard, not a hard stop: the buffer still accepts bytes, and its owner checks
// exceeds_max_size() after each read (TcpConnection closes the connection), so a peer cannot
// make it grow without bound. Not thread-safe: one owner thread.
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace netius::net {

class Buffer {
  public:
    static constexpr std::size_t kCheapPrepend = 8;
    static constexpr std::size_t kInitialSize = 1024;
    static constexpr std::size_t kSpillSize = 64 * 1024;
    static constexpr std::size_t kDefaultMaxSize = 64u << 20;

    Buffer() = default;
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    std::size_t readable_bytes() const { return write_ - read_; }
    std::size_t writable_bytes() const { return capacity_ > write_ ? capacity_ - write_ : 0; }
    std::size_t prependable_bytes() const { return data_ ? read_ : 0; }
    std::size_t capacity() const { return data_ ? capacity_ : 0; }
    bool empty() const { return write_ == read_; }

    /// The readable bytes; valid until the next non-const call.
    const char* peek() const { return data_ ? data_ + read_ : nullptr; }
    std::string_view view() const { return {peek(), readable_bytes()}; }

    /// Consumes `n` readable bytes (all of them if n >= readable_bytes()).
    void retrieve(std::size_t n);
    void retrieve_all() { read_ = write_ = kCheapPrepend; }
    /// Consumes and returns up to `n` bytes.
    std::string retrieve_as_string(std::size_t n);

    void append(std::string_view data) { append(data.data(), data.size()); }
    void append(const void* data, std::size_t n);
    /// Puts `n` bytes before the readable ones (e.g. a length header). n <= kCheapPrepend is
    /// always possible; more requires that much prependable space, else it throws
    /// std::length_error.
    void prepend(const void* data, std::size_t n);

    /// Makes writable_bytes() >= n (compacting when that is enough and cheap, else growing).
    void ensure_writable(std::size_t n);
    char* begin_write() { return data_ ? data_ + write_ : nullptr; }
    /// Marks `n` bytes written at begin_write() as readable (n <= writable_bytes()).
    void has_written(std::size_t n) { write_ += n; }

    /// One readv(2) from `fd`. Returns what readv returned: > 0 bytes appended, 0 at end of
    /// stream, -1 with the error in *saved_errno (EAGAIN/EINTR included; nothing appended).
    ssize_t read_fd(int fd, int* saved_errno);

    /// Frees the storage if nothing is readable; the next write allocates again.
    void release();
    /// Whether storage is held (release() and a new Buffer hold none).
    bool allocated() const { return data_ != nullptr; }

    std::size_t max_size() const { return max_size_; }
    void set_max_size(std::size_t n) { max_size_ = n; }
    bool exceeds_max_size() const { return readable_bytes() > max_size_; }

  private:
    void make_space(std::size_t n);

    char* data_ = nullptr;                  // block_pool::take(capacity_), owned
    std::size_t capacity_ = kCheapPrepend;  // the logical size while data_ is null
    std::size_t read_ = kCheapPrepend;
    std::size_t write_ = kCheapPrepend;
    std::size_t max_size_ = kDefaultMaxSize;
};

}  // namespace netius::net
