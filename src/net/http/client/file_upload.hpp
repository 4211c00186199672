#pragma once
// FileUpload — request content read from a file or standard input as the session asks for it
// (upload.hpp, curl's `--data-binary @FILE` and `@-`): one piece (the session's read size) in
// memory at a time, so a file of any size costs the same.
//
//  - A regular file (standard input redirected from one too) has a known size, counted from
//    where it stands when opened (Content-Length), is read with pread(2) and can be rewound
//    for a request sent again. A file that shrinks meanwhile fails the upload; bytes it grows
//    by are not sent.
//  - A pipe, terminal, socket or device has no known size (chunked) and cannot be rewound. It
//    is read once poll(2) says it is readable, and when it is not the loop watches it: the fd
//    is never made non-blocking (that flag would be shared with the other processes on the
//    pipe), and a read after readiness does not block.
//
// Loop thread only.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http/client/upload.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
class Channel;
class EventLoop;
}  // namespace netius::net

namespace netius::net::http {

class FileUpload final : public Upload, public std::enable_shared_from_this<FileUpload> {
  public:
    /// Opens `path` for reading ("-": standard input, which is never closed). Throws
    /// netius::Error "PATH: strerror" when it cannot be opened or is a directory.
    static std::shared_ptr<FileUpload> open(EventLoop* loop, const std::string& path);
    /// Reads `fd` (owned by `owned` unless it is standard input); `name` is for messages.
    FileUpload(EventLoop* loop, UniqueFd owned, int fd, std::string name);
    ~FileUpload() override;
    FileUpload(const FileUpload&) = delete;
    FileUpload& operator=(const FileUpload&) = delete;

    std::optional<std::uint64_t> size() const override { return size_; }
    BodyStatus read(std::string& out, std::size_t max) override;
    void set_ready(std::function<void()> ready) override { ready_ = std::move(ready); }
    std::string error() const override { return error_; }
    bool consumed() const override { return consumed_; }
    /// A regular file always (back to where it was opened); a stream until it is read from.
    bool rewindable() const override { return size_ || !consumed_; }
    void rewind() override;

  private:
    BodyStatus read_file(std::string& out, std::size_t max);
    BodyStatus read_stream(std::string& out, std::size_t max);
    BodyStatus failed(const char* call, int err);
    void on_readable();

    EventLoop* loop_;
    UniqueFd owned_;
    int fd_;
    std::string name_;
    std::optional<std::uint64_t> size_;  // regular files only
    off_t start_ = 0;                    // where a regular file's content starts
    std::uint64_t offset_ = 0;           // of it, read so far
    std::unique_ptr<Channel> channel_;   // streams: watched while the reader waits
    std::function<void()> ready_;
    std::string error_;
    bool consumed_ = false;
};

}  // namespace netius::net::http
