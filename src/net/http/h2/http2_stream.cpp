#include "net/http/h2/http2_stream.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "net/http/request_target.hpp"

namespace netius::net::http {
namespace {

// kMore pulls in a row that wrote nothing: the source is broken (as BodyStream judges it).
constexpr int kMaxEmptyPulls = 64;

}  // namespace

Http2Stream::~Http2Stream() {
    if (body_stream_) body_stream_->fail("the stream was closed");
}

bool Http2Stream::add_field(std::string_view name, std::string_view value,
                            std::size_t max_list_size, const Limits& limits) {
    list_size_ += name.size() + value.size() + 32;
    ++field_count_;
    if (list_size_ > 2 * max_list_size || field_count_ > 2 * (limits.max_header_count + 4))
        return false;
    if (rejection_) return true;
    if (list_size_ > max_list_size || field_count_ > limits.max_header_count + 4) {
        reject(Status::kRequestHeaderFieldsTooLarge);
        return true;
    }
    if (name == ":path" && value.size() > limits.max_target_bytes) {
        reject(Status::kUriTooLong);
        return true;
    }
    for (std::string_view part : {name, value}) {
        fields_.emplace_back(static_cast<std::uint32_t>(arena_.size()),
                             static_cast<std::uint32_t>(part.size()));
        arena_.append(part);
    }
    return true;
}

bool Http2Stream::finish_head(bool end_stream) {
    head_.clear();
    head_.version = Version::kHttp2;
    std::string_view path, authority, host, length;
    bool has_host = false, has_length = false;
    auto view = [this](std::size_t i) {
        return std::string_view(arena_).substr(fields_[i].first, fields_[i].second);
    };
    for (std::size_t i = 0; i + 1 < fields_.size(); i += 2) {
        const std::string_view name = view(i), value = view(i + 1);
        // RFC 9113 §8.2.1: a name with an uppercase letter is malformed. nghttp2 checks this
        // on the wire; checked again here so the field rules below can compare exactly.
        if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            return false;
        if (name.starts_with(':')) {  // nghttp2 refuses repeats; the first one counts
            if (name == ":method" && head_.method.empty()) head_.method = value;
            if (name == ":path" && path.empty()) path = value;
            if (name == ":authority" && authority.empty()) authority = value;
            continue;  // :scheme is the connection's business (TLS or not)
        }
        if (name == "cookie") {  // RFC 9113 §8.2.3: one field again, for HTTP/1.1 semantics
            if (!cookie_.empty()) cookie_ += "; ";
            cookie_ += value;
            continue;
        }
        if (name == "host") {
            has_host = true;
            host = value;
            continue;  // re-added below from :authority when that is present
        }
        if (name == "content-length") {
            has_length = true;
            length = value;
        }
        if (head_.headers.size() >= 1024) return false;  // bounded by add_field already
        head_.headers.push_back({name, value});
    }
    if (head_.method.empty()) return false;
    if (!cookie_.empty()) head_.headers.push_back({"cookie", cookie_});
    // RFC 9113 §8.3.1: :authority wins over Host; handlers (and WSGI's HTTP_HOST) read Host.
    if (!authority.empty()) host = authority;
    if (!host.empty()) head_.headers.push_back({"host", host});
    if (!host.empty() && !valid_authority(host, false)) return false;
    if (has_host && host.empty()) return false;
    head_.host = host;
    head_.target = head_.method == "CONNECT" ? authority : path;
    if (!parse_request_target(head_.method, head_.target, head_)) return false;
    if (has_length) {
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
        if (ec != std::errc() || end != length.data() + length.size()) return false;
        head_.content_length = n;
    }
    // Content of unknown length follows: the model's "chunked" (length not known in advance).
    head_.chunked = !end_stream && !head_.content_length;
    head_.keep_alive = true;
    head_.expect_continue = false;  // no 100 (Continue) on h2: the content just flows
    return true;
}

void Http2Stream::set_content(std::string_view content) {
    out_.assign(content);
    out_pos_ = 0;
    has_content_ = true;
    source_done_ = true;
}

void Http2Stream::set_source(std::unique_ptr<BodySource> source,
                             std::optional<ContentCoding> coding) {
    if (coding)
        compressor_ = std::make_unique<Compressor>(*coding);
    else
        expected_ = source->size();
    source_ = std::move(source);
    has_content_ = true;
}

Http2Stream::Read Http2Stream::read(std::uint8_t* buf, std::size_t max, std::size_t& n, bool& end) {
    n = 0;
    end = false;
    waiting = false;
    for (;;) {
        if (out_pos_ < out_.size()) {
            n = std::min(max, out_.size() - out_pos_);
            std::memcpy(buf, out_.data() + out_pos_, n);
            out_pos_ += n;
            if (out_pos_ == out_.size()) {
                out_.clear();
                out_pos_ = 0;
            }
        } else if (file_left_ > 0) {
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(max, file_left_));
            ssize_t got;
            do {
                got = ::pread(file_.get(), buf, want, file_offset_);
            } while (got < 0 && errno == EINTR);
            if (got <= 0) {
                spdlog::error("pread(response body): {}", got == 0
                                                              ? "the file is shorter than announced"
                                                              : std::strerror(errno));
                return Read::kFailed;
            }
            n = static_cast<std::size_t>(got);
            file_offset_ += got;
            file_left_ -= n;
            if (file_left_ == 0) file_.reset();
        } else if (source_ && !source_done_) {
            if (!refill()) return Read::kFailed;
            if (waiting) return Read::kWait;
            continue;
        }
        end = out_pos_ >= out_.size() && file_left_ == 0 && (!source_ || source_done_);
        return end || n > 0 ? Read::kData : Read::kFailed;
    }
}

bool Http2Stream::refill() {
    int empty_pulls = 0;
    while (out_.empty() && file_left_ == 0 && !source_done_) {
        const std::uint64_t before = produced_;
        const BodyStatus status = pull_guarded(*source_, *this);
        if (compressor_ && status == BodyStatus::kMore)  // decodable so far (BodyStream)
            compressor_->update({}, out_, true);
        if (broken_) {
            spdlog::error("response body source: {}; resetting the stream", broken_);
            return false;
        }
        switch (status) {
            case BodyStatus::kFailed:
                return false;
            case BodyStatus::kWait:
                waiting = true;
                return true;
            case BodyStatus::kDone:
                source_done_ = true;
                if (compressor_) compressor_->finish(out_);
                if (expected_ && produced_ != *expected_) {
                    spdlog::error("response body source: wrote less than its size");
                    return false;
                }
                break;
            case BodyStatus::kMore:
                if (produced_ == before && ++empty_pulls >= kMaxEmptyPulls) {
                    spdlog::error("response body source made no progress");
                    return false;
                }
                break;
        }
    }
    return true;
}

void Http2Stream::write(std::string_view data) {
    if (data.empty() || broken_) return;
    produced_ += data.size();
    if (expected_ && produced_ > *expected_) {
        broken_ = "wrote more than its size";
        return;
    }
    spill_file();  // bytes after a file range: the range's bytes go first
    if (compressor_)
        compressor_->update(data, out_);
    else
        out_.append(data);
}

void Http2Stream::spill_file() {
    if (file_left_ == 0) return;
    const std::size_t at = out_.size();
    out_.resize(at + file_left_);
    ssize_t got;
    do {
        got = ::pread(file_.get(), out_.data() + at, file_left_, file_offset_);
    } while (got < 0 && errno == EINTR);
    if (got != static_cast<ssize_t>(file_left_)) broken_ = "a file range could not be read";
    file_left_ = 0;
    file_.reset();
}

void Http2Stream::write_file(UniqueFd file, off_t offset, std::uint64_t length) {
    if (length == 0 || broken_) return;
    if (compressor_) {
        broken_ = "wrote a file although the sink does not accept files";
        return;
    }
    spill_file();  // a second range in one pull: the first one's bytes go first
    produced_ += length;
    if (expected_ && produced_ > *expected_) {
        broken_ = "wrote more than its size";
        return;
    }
    file_ = std::move(file);
    file_offset_ = offset;
    file_left_ = length;
}

}  // namespace netius::net::http
