#include "net/http/h1/body_stream.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

namespace netius::net::http {
namespace {

// Pieces pulled per pump() while the socket takes everything at once. The write-complete that
// TcpConnection fires after a send that leaves its queue empty calls pump() again, so one fast
// client cannot monopolise the loop, and the stream never stalls.
constexpr int kPullsPerPump = 4;
// kMore pulls in a row that wrote nothing: the source is broken (it would spin the loop, and
// without a write nothing would call pump() again).
constexpr int kMaxEmptyPulls = 64;

}  // namespace

BodyStream::BodyStream(std::unique_ptr<BodySource> source, Framing framing,
                       std::optional<ContentCoding> coding)
    : source_(std::move(source)), framing_(framing) {
    if (coding) compressor_ = std::make_unique<Compressor>(*coding);
    if (framing_ == Framing::kLength) expected_ = source_->size().value_or(0);
}

BodyStream::~BodyStream() = default;

BodyStream::Progress BodyStream::pump(TcpConnection& conn) {
    conn_ = &conn;
    struct Reset {
        TcpConnection*& c;
        ~Reset() { c = nullptr; }
    } reset{conn_};
    int pulls = 0, empty_pulls = 0;
    while (pulls < kPullsPerPump) {
        if (conn.has_pending_output()) return Progress::kWaiting;
        if (!conn.connected()) return Progress::kFailed;  // closing: sends would be dropped
        written_in_pull_ = 0;
        const BodyStatus status = pull_guarded(*source_, *this);
        if (compressor_ && status == BodyStatus::kMore) {
            // Flush per piece: the client can decode everything sent so far (a slow
            // generator's output is not held back in zlib's window).
            zbuf_.clear();
            compressor_->update({}, zbuf_, true);
            emit(zbuf_);
        }
        if (broken_) {
            spdlog::error("response body source: {}; closing", broken_);
            return Progress::kFailed;
        }
        if (status == BodyStatus::kFailed) return Progress::kFailed;
        if (status == BodyStatus::kWait) return Progress::kWaiting;  // until Resume::wake()
        if (status == BodyStatus::kDone) return finish() ? Progress::kDone : Progress::kFailed;
        if (written_in_pull_ > 0) {
            ++pulls;
            empty_pulls = 0;
        } else if (++empty_pulls >= kMaxEmptyPulls) {
            spdlog::error("response body source made no progress; closing");
            return Progress::kFailed;
        }
    }
    return Progress::kWaiting;  // the last pull wrote: its write-complete calls pump() again
}

bool BodyStream::finish() {
    if (compressor_) {
        zbuf_.clear();
        compressor_->finish(zbuf_);
        emit(zbuf_);
    }
    if (broken_ || (expected_ && sent_ != *expected_)) {
        spdlog::error("response body source: {}; closing",
                      broken_ ? broken_ : "wrote less than its size");
        return false;
    }
    if (framing_ == Framing::kChunked) {
        frame_.clear();
        append_last_chunk(frame_);
        conn_->send(frame_);
    }
    return true;
}

void BodyStream::write(std::string_view data) {
    written_in_pull_ += data.size();
    if (!compressor_) {
        emit(data);
        return;
    }
    zbuf_.clear();
    compressor_->update(data, zbuf_);
    emit(zbuf_);
}

void BodyStream::emit(std::string_view data) {
    if (data.empty() || broken_) return;
    if (expected_ && data.size() > *expected_ - sent_) {
        broken_ = "wrote more than its size";
        return;
    }
    sent_ += data.size();
    if (framing_ != Framing::kChunked) {
        conn_->send(data);
        return;
    }
    frame_.clear();
    append_chunk(frame_, data);
    conn_->send(frame_);
}

void BodyStream::write_file(UniqueFd file, off_t offset, std::uint64_t length) {
    written_in_pull_ += length;
    if (length == 0 || broken_) return;
    if (compressor_) {
        broken_ = "wrote a file although the sink does not accept files";
        return;
    }
    if (expected_ && length > *expected_ - sent_) {
        broken_ = "wrote more than its size";
        return;
    }
    sent_ += length;
    if (framing_ != Framing::kChunked) {
        conn_->send_file(std::move(file), offset, static_cast<std::size_t>(length));
        return;
    }
    char size[24];
    auto r = std::to_chars(size, size + sizeof size - 2, length, 16);
    *r.ptr++ = '\r';
    *r.ptr++ = '\n';
    conn_->send(std::string_view(size, static_cast<std::size_t>(r.ptr - size)));
    conn_->send_file(std::move(file), offset, static_cast<std::size_t>(length));
    conn_->send("\r\n");
}

}  // namespace netius::net::http
