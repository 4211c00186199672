#include "net/buffer.hpp"

#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "net/block_pool.hpp"

namespace netius::net {

Buffer::~Buffer() {
    if (data_) block_pool::give(data_, capacity_);
}

Buffer::Buffer(Buffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      capacity_(std::exchange(other.capacity_, kCheapPrepend)),
      read_(std::exchange(other.read_, kCheapPrepend)),
      write_(std::exchange(other.write_, kCheapPrepend)),
      max_size_(other.max_size_) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
    if (this != &other) {
        if (data_) block_pool::give(data_, capacity_);
        data_ = std::exchange(other.data_, nullptr);
        capacity_ = std::exchange(other.capacity_, kCheapPrepend);
        read_ = std::exchange(other.read_, kCheapPrepend);
        write_ = std::exchange(other.write_, kCheapPrepend);
        max_size_ = other.max_size_;
    }
    return *this;
}

void Buffer::retrieve(std::size_t n) {
    if (n < readable_bytes())
        read_ += n;
    else
        retrieve_all();
}

std::string Buffer::retrieve_as_string(std::size_t n) {
    n = std::min(n, readable_bytes());
    std::string s(peek(), n);
    retrieve(n);
    return s;
}

void Buffer::append(const void* data, std::size_t n) {
    if (n == 0) return;
    ensure_writable(n);
    std::memcpy(begin_write(), data, n);
    has_written(n);
}

void Buffer::prepend(const void* data, std::size_t n) {
    if (!data_) make_space(0);
    if (n > read_) throw std::length_error("Buffer::prepend: not enough prependable space");
    read_ -= n;
    std::memcpy(data_ + read_, data, n);
}

void Buffer::ensure_writable(std::size_t n) {
    if (!data_ || writable_bytes() < n) make_space(n);
}

void Buffer::make_space(std::size_t n) {
    const std::size_t readable = readable_bytes();
    const std::size_t consumed = data_ ? read_ - kCheapPrepend : 0;
    if (data_ && writable_bytes() + consumed >= n && consumed >= readable) {
        // Enough room once the consumed prefix is reclaimed: compact instead of growing. Only
        // when the prefix is at least as long as what moves, so each byte is moved at most
        // once per byte consumed before it: a queue that is always appended to and drained
        // from the front (a proxied download) would otherwise move its megabytes per append.
        std::memmove(data_ + kCheapPrepend, data_ + read_, readable);
    } else {
        std::size_t want = kCheapPrepend + readable + n;
        const std::size_t cap = block_pool::round_up(data_ ? std::max(want, capacity_ * 2)
                                                           : std::max(want, kInitialSize));
        char* bigger = block_pool::take(cap);
        if (readable) std::memcpy(bigger + kCheapPrepend, data_ + read_, readable);
        if (data_) block_pool::give(data_, capacity_);
        data_ = bigger;
        capacity_ = cap;
    }
    read_ = kCheapPrepend;
    write_ = kCheapPrepend + readable;
}

ssize_t Buffer::read_fd(int fd, int* saved_errno) {
    char spill[kSpillSize];
    const std::size_t writable = writable_bytes();
    iovec vec[2];
    vec[0].iov_base = begin_write();
    vec[0].iov_len = writable;
    vec[1].iov_base = spill;
    vec[1].iov_len = sizeof spill;
    // With 64 KiB already free, skip the spill: one read is bounded the same way either way.
    const int count = writable < sizeof spill ? 2 : 1;
    ssize_t n = ::readv(fd, count == 2 && writable == 0 ? vec + 1 : vec,
                        count == 2 && writable == 0 ? 1 : count);
    if (n < 0) {
        *saved_errno = errno;
    } else if (static_cast<std::size_t>(n) <= writable) {
        write_ += static_cast<std::size_t>(n);
    } else {
        write_ += writable;
        append(spill, static_cast<std::size_t>(n) - writable);
    }
    return n;
}

void Buffer::release() {
    if (!empty()) return;
    block_pool::give(std::exchange(data_, nullptr), capacity_);
    capacity_ = read_ = write_ = kCheapPrepend;
}

}  // namespace netius::net
