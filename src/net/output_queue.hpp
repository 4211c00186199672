#pragma once
// OutputQueue — what a TcpConnection could not write at once, in order: runs of bytes and
// file ranges (sent with sendfile when the transport can, else read in 64 KiB chunks, so a
// file is never read whole into memory). Consecutive sends coalesce into one run, so a burst
// of small responses (pipelining) leaves in one write. Not thread-safe: the loop thread.
#include <sys/types.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "net/block_pool.hpp"
#include "net/buffer.hpp"
#include "net/transport.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class OutputQueue {
  public:
    static constexpr std::size_t kFileChunk = 64 * 1024;

    bool empty() const { return segments_.empty(); }
    /// Bytes held in memory (file ranges not counted: they cost no memory until read).
    std::size_t memory_bytes() const { return memory_bytes_; }

    void append(const char* data, std::size_t len);
    /// Queues `len` bytes of `file` from `offset`; the fd is closed once they are sent.
    void append_file(UniqueFd file, off_t offset, std::size_t len);

    /// Writes through `transport` until the queue is empty (Ok) or the transport stops
    /// (WantWrite, WantRead, Error); `bytes` is the total written in this call. A file that
    /// turns out shorter than queued is an Error (ENODATA): the peer was promised its length.
    IoResult flush(Transport& transport);

    void clear();

    /// The run of bytes at the front (empty when the queue is empty or starts with a file),
    /// for a caller that sends it itself (an io_uring batch); then consume_front(sent).
    std::string_view front_bytes() const;
    /// Whether anything is queued after the front segment (a file range: send with MSG_MORE).
    bool more_after_front() const { return segments_.size() > 1; }
    /// Drops the first `n` bytes of front_bytes() (n <= its size).
    void consume_front(std::size_t n);

  private:
    struct Segment {
        Buffer data;  // a run of bytes, or empty for a file range
        UniqueFd file;
        off_t offset = 0;
        std::size_t file_left = 0;
    };

    IoResult flush_file(Segment& s, Transport& transport);
    void pop_front();

    std::vector<Segment, block_pool::Allocator<Segment>>
        segments_;  // made and dropped per response
    std::size_t memory_bytes_ = 0;
};

}  // namespace netius::net
