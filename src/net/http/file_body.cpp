#include "net/http/file_body.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/http/h1/body_stream.hpp"

namespace netius::net::http {

void FileBody::add_text(std::string text) {
    if (text.empty()) return;
    size_ += text.size();
    parts_.push_back(Part{std::move(text), 0, 0, false});
}

void FileBody::add_range(std::uint64_t offset, std::uint64_t length) {
    if (length == 0) return;
    size_ += length;
    parts_.push_back(Part{std::string(), offset, length, true});
}

bool FileBody::last_file_part() const {
    for (std::size_t i = next_ + 1; i < parts_.size(); ++i)
        if (parts_[i].file) return false;
    return true;
}

BodyStatus FileBody::pull(BodySink& out) {
    while (next_ < parts_.size()) {
        Part& p = parts_[next_];
        if (!p.file) {  // headers of a part: small, written at once
            out.write(p.text);
            std::string().swap(p.text);
            ++next_;
            continue;
        }
        if (!out.accepts_files()) return read_piece(p, out);
        // The last range takes the descriptor itself; earlier ones (multipart) a duplicate.
        UniqueFd fd(last_file_part() ? file_.release() : ::fcntl(file_.get(), F_DUPFD_CLOEXEC, 0));
        if (!fd) {
            spdlog::error("fcntl(F_DUPFD_CLOEXEC) for a response body: {}", std::strerror(errno));
            return BodyStatus::kFailed;
        }
        out.write_file(std::move(fd), static_cast<off_t>(p.offset), p.length);
        ++next_;
        return next_ == parts_.size() ? BodyStatus::kDone : BodyStatus::kMore;
    }
    return BodyStatus::kDone;
}

BodyStatus FileBody::read_piece(Part& p, BodySink& out) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(BodyStream::kPieceSize, p.length));
    buffer_.resize(want);
    ssize_t n;
    do {
        n = ::pread(file_.get(), buffer_.data(), want, static_cast<off_t>(p.offset));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        spdlog::error("pread(response body): {}",
                      n == 0 ? "the file is shorter than announced" : std::strerror(errno));
        return BodyStatus::kFailed;
    }
    out.write(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
    p.offset += static_cast<std::uint64_t>(n);
    p.length -= static_cast<std::uint64_t>(n);
    if (p.length == 0) ++next_;
    if (next_ < parts_.size()) return BodyStatus::kMore;
    std::string().swap(buffer_);
    return BodyStatus::kDone;
}

}  // namespace netius::net::http
