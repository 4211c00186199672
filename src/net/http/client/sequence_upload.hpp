#pragma once
// SequenceUpload — request content made of pieces sent one after the other: text held in
// memory and other Uploads (files, standard input) streamed in turn. curl's data options
// joined with '&' around a streamed file, and multipart/form-data (multipart.hpp). Its size is
// known when every piece's is (Content-Length), else unknown (chunked); it can be rewound when
// every streamed piece can. Loop thread only.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "net/http/client/upload.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::http {

class SequenceUpload final : public Upload {
  public:
    using Piece = std::variant<std::string, std::shared_ptr<Upload>>;
    explicit SequenceUpload(std::vector<Piece> pieces);

    std::optional<std::uint64_t> size() const override { return size_; }
    /// Appends at most `max` bytes from the current piece, moving on past pieces that end
    /// without giving anything; kMore at a piece's end when others follow.
    BodyStatus read(std::string& out, std::size_t max) override;
    void set_ready(std::function<void()> ready) override;
    std::string error() const override;
    bool consumed() const override { return consumed_; }
    bool rewindable() const override;
    void rewind() override;

  private:
    std::vector<Piece> pieces_;
    std::optional<std::uint64_t> size_;
    std::size_t index_ = 0;   // the piece being sent
    std::size_t offset_ = 0;  // into it, when it is text
    bool consumed_ = false;
};

/// A piece of content described before anything is opened: text, or (file) the path of a
/// file to stream, "-" for standard input.
struct ContentPiece {
    std::string text;  // the path when `file`
    bool file = false;
};

/// The pieces as one SequenceUpload, each file opened now (FileUpload::open: throws
/// netius::Error naming a file that cannot be opened). Blocking; the loop's thread.
std::shared_ptr<SequenceUpload> open_content(EventLoop* loop,
                                             const std::vector<ContentPiece>& pieces);

}  // namespace netius::net::http
