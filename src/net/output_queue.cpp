#include "net/output_queue.hpp"

#include <unistd.h>

#include <cerrno>

namespace netius::net {

void OutputQueue::append(const char* data, std::size_t len) {
    if (len == 0) return;
    if (segments_.empty() || segments_.back().file) segments_.emplace_back();
    segments_.back().data.append(data, len);
    memory_bytes_ += len;
}

void OutputQueue::append_file(UniqueFd file, off_t offset, std::size_t len) {
    if (len == 0) return;
    Segment s;
    s.file = std::move(file);
    s.offset = offset;
    s.file_left = len;
    segments_.push_back(std::move(s));
}

void OutputQueue::clear() {
    decltype(segments_)().swap(segments_);
    memory_bytes_ = 0;
}

void OutputQueue::pop_front() {
    segments_.erase(segments_.begin());
    if (segments_.empty())
        decltype(segments_)().swap(segments_);  // an idle connection keeps no queue memory
}

std::string_view OutputQueue::front_bytes() const {
    if (segments_.empty() || segments_.front().file) return {};
    const Buffer& data = segments_.front().data;
    return {data.peek(), data.readable_bytes()};
}

void OutputQueue::consume_front(std::size_t n) {
    Buffer& data = segments_.front().data;
    data.retrieve(n);
    memory_bytes_ -= n;
    if (data.empty()) pop_front();
}

IoResult OutputQueue::flush(Transport& transport) {
    std::size_t total = 0;
    while (!segments_.empty()) {
        Segment& s = segments_.front();
        if (s.file) {
            IoResult r = flush_file(s, transport);
            total += r.bytes;
            if (r.status != IoStatus::Ok) return {r.status, total, r.error};
            if (s.file_left == 0 && s.data.empty()) pop_front();
            continue;
        }
        const std::size_t len = s.data.readable_bytes();
        // Bytes before a file range sent with sendfile: one segment with its start.
        const bool file_next =
            segments_.size() > 1 && segments_[1].file && transport.can_send_file();
        IoResult r = file_next ? transport.write_more(s.data.peek(), len)
                               : transport.write(s.data.peek(), len);
        if (r.status != IoStatus::Ok) return {r.status, total, r.error};
        s.data.retrieve(r.bytes);
        memory_bytes_ -= r.bytes;
        total += r.bytes;
        if (r.bytes < len) return {IoStatus::WantWrite, total, 0};  // the socket is full
        pop_front();
    }
    return {IoStatus::Ok, total, 0};
}

IoResult OutputQueue::flush_file(Segment& s, Transport& transport) {
    if (transport.can_send_file()) {
        IoResult r = transport.send_file(s.file.get(), s.offset, s.file_left);
        if (r.status != IoStatus::Ok) return r;
        if (r.bytes == 0) return {IoStatus::Error, 0, ENODATA};
        s.offset += static_cast<off_t>(r.bytes);
        s.file_left -= r.bytes;
        if (s.file_left > 0) return {IoStatus::WantWrite, r.bytes, 0};
        return r;
    }
    // No sendfile (TLS): the chunk read last stays in s.data until written, so a transport
    // that asked to retry gets the very same bytes again.
    std::size_t total = 0;
    for (;;) {
        if (s.data.empty()) {
            if (s.file_left == 0) return {IoStatus::Ok, total, 0};
            std::size_t want = std::min(kFileChunk, s.file_left);
            s.data.ensure_writable(want);
            ssize_t n = ::pread(s.file.get(), s.data.begin_write(), want, s.offset);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return {IoStatus::Error, total, errno};
            if (n == 0) return {IoStatus::Error, total, ENODATA};
            s.data.has_written(static_cast<std::size_t>(n));
            s.offset += n;
            s.file_left -= static_cast<std::size_t>(n);
        }
        const std::size_t len = s.data.readable_bytes();
        IoResult r = transport.write(s.data.peek(), len);
        if (r.status != IoStatus::Ok) return {r.status, total, r.error};
        s.data.retrieve(r.bytes);
        total += r.bytes;
        if (r.bytes < len) return {IoStatus::WantWrite, total, 0};
    }
}

}  // namespace netius::net
