#include "net/http/client/file_upload.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "net/channel.hpp"
#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net::http {

std::shared_ptr<FileUpload> FileUpload::open(EventLoop* loop, const std::string& path) {
    if (path == "-") return std::make_shared<FileUpload>(loop, UniqueFd(), STDIN_FILENO, "stdin");
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error(errno_message(path, errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(errno_message(path, EISDIR));
    const int raw = fd.get();
    return std::make_shared<FileUpload>(loop, std::move(fd), raw, path);
}

FileUpload::FileUpload(EventLoop* loop, UniqueFd owned, int fd, std::string name)
    : loop_(loop), owned_(std::move(owned)), fd_(fd), name_(std::move(name)) {
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
        const off_t at = ::lseek(fd_, 0, SEEK_CUR);
        start_ = at < 0 ? 0 : std::min<off_t>(at, st.st_size);
        size_ = static_cast<std::uint64_t>(st.st_size - start_);
    }
}

FileUpload::~FileUpload() {
    if (channel_) channel_->remove();
}

BodyStatus FileUpload::read(std::string& out, std::size_t max) {
    return size_ ? read_file(out, max) : read_stream(out, max);
}

BodyStatus FileUpload::read_file(std::string& out, std::size_t max) {
    const std::uint64_t left = *size_ - offset_;
    if (left == 0) return BodyStatus::kDone;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, max));
    const std::size_t before = out.size();
    out.resize(before + want);
    ssize_t n;
    do {
        n = ::pread(fd_, out.data() + before, want, start_ + static_cast<off_t>(offset_));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        out.resize(before);
        return failed("pread", errno);
    }
    out.resize(before + static_cast<std::size_t>(n));
    if (n == 0) {
        error_ =
            fmt::format("{}: the file ended {} bytes short of its size (it shrank)", name_, left);
        return BodyStatus::kFailed;
    }
    consumed_ = true;
    offset_ += static_cast<std::uint64_t>(n);
    return offset_ == *size_ ? BodyStatus::kDone : BodyStatus::kMore;
}

BodyStatus FileUpload::read_stream(std::string& out, std::size_t max) {
    pollfd p{fd_, POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&p, 1, 0);
    } while (ready < 0 && errno == EINTR);
    if (ready < 0) return failed("poll", errno);
    if (ready == 0) {  // nothing yet: the loop says when
        if (!channel_) {
            channel_ = std::make_unique<Channel>(loop_, fd_);
            channel_->tie(shared_from_this());  // alive for the whole event, whatever ready_ does
            auto wake = [weak = weak_from_this()] {
                if (auto self = weak.lock()) self->on_readable();
            };
            channel_->set_read_callback(wake);
            channel_->set_close_callback(wake);
            channel_->set_error_callback(wake);
        }
        channel_->enable_reading();
        return BodyStatus::kWait;
    }
    const std::size_t before = out.size();
    out.resize(before + max);
    ssize_t n;
    do {
        n = ::read(fd_, out.data() + before, max);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        out.resize(before);
        return failed("read", errno);
    }
    out.resize(before + static_cast<std::size_t>(n));
    if (n == 0) return BodyStatus::kDone;
    consumed_ = true;
    return BodyStatus::kMore;
}

BodyStatus FileUpload::failed(const char* call, int err) {
    error_ = errno_message(fmt::format("{}({})", call, name_), err);
    return BodyStatus::kFailed;
}

void FileUpload::on_readable() {
    if (channel_) channel_->disable_reading();
    if (ready_) ready_();
}

void FileUpload::rewind() {
    offset_ = 0;
    consumed_ = false;
}

}  // namespace netius::net::http
