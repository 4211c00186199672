#pragma once
// FileBody — a BodySource (body_source.hpp) made of literal text and byte ranges of one open
// file, in order: a whole file, one range, or the parts of a multipart/byteranges response
// (RFC 9110 §14.6). File ranges go to the sink zero-copy when it accepts files (sendfile on
// plain TCP), else they are read BodyStream::kPieceSize bytes per pull. Loop thread only.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "net/http/body_source.hpp"

namespace netius::net::http {

class FileBody final : public BodySource {
  public:
    /// `file` is read with pread(2) or sendfile(2) only: its offset is never used.
    explicit FileBody(UniqueFd file) : file_(std::move(file)) {}

    /// Appends literal bytes (e.g. a part's header lines). Empty text is ignored.
    void add_text(std::string text);
    /// Appends `length` bytes of the file from `offset` (the caller checked the file size).
    void add_range(std::uint64_t offset, std::uint64_t length);

    std::optional<std::uint64_t> size() const override { return size_; }
    /// kFailed when the file ends before a range does or cannot be read (logged).
    BodyStatus pull(BodySink& out) override;

  private:
    struct Part {
        std::string text;
        std::uint64_t offset = 0;  // a file range: its start and length
        std::uint64_t length = 0;
        bool file = false;
    };
    /// One piece of the file range `p` read into memory (a sink that takes no files).
    BodyStatus read_piece(Part& p, BodySink& out);
    bool last_file_part() const;

    UniqueFd file_;
    std::vector<Part> parts_;
    std::size_t next_ = 0;  // the part being sent
    std::uint64_t size_ = 0;
    std::string buffer_;
};

}  // namespace netius::net::http
