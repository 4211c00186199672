#include "net/http/client/sequence_upload.hpp"

#include "net/http/client/file_upload.hpp"

namespace netius::net::http {

SequenceUpload::SequenceUpload(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {
    std::uint64_t total = 0;
    for (const Piece& p : pieces_) {
        if (const auto* text = std::get_if<std::string>(&p)) {
            total += text->size();
        } else if (const auto size = std::get<std::shared_ptr<Upload>>(p)->size()) {
            total += *size;
        } else {
            return;  // size_ stays unknown
        }
    }
    size_ = total;
}

BodyStatus SequenceUpload::read(std::string& out, std::size_t max) {
    const std::size_t before = out.size();
    while (index_ < pieces_.size()) {
        BodyStatus status;
        if (const auto* text = std::get_if<std::string>(&pieces_[index_])) {
            const std::size_t n = std::min(max, text->size() - offset_);
            out.append(*text, offset_, n);
            offset_ += n;
            consumed_ = consumed_ || n > 0;
            status = offset_ == text->size() ? BodyStatus::kDone : BodyStatus::kMore;
        } else {
            const auto& upload = std::get<std::shared_ptr<Upload>>(pieces_[index_]);
            status = upload->read(out, max);
            consumed_ = consumed_ || upload->consumed();
        }
        if (status != BodyStatus::kDone) return status;
        ++index_;
        offset_ = 0;
        if (index_ < pieces_.size() && out.size() > before) return BodyStatus::kMore;
    }
    return BodyStatus::kDone;
}

void SequenceUpload::set_ready(std::function<void()> ready) {
    for (Piece& p : pieces_)
        if (auto* upload = std::get_if<std::shared_ptr<Upload>>(&p)) (*upload)->set_ready(ready);
}

std::string SequenceUpload::error() const {
    if (index_ < pieces_.size())
        if (const auto* upload = std::get_if<std::shared_ptr<Upload>>(&pieces_[index_]))
            return (*upload)->error();
    return {};
}

bool SequenceUpload::rewindable() const {
    for (const Piece& p : pieces_)
        if (const auto* upload = std::get_if<std::shared_ptr<Upload>>(&p))
            if (!(*upload)->rewindable()) return false;
    return true;
}

void SequenceUpload::rewind() {
    for (Piece& p : pieces_)
        if (auto* upload = std::get_if<std::shared_ptr<Upload>>(&p)) (*upload)->rewind();
    index_ = offset_ = 0;
    consumed_ = false;
}

std::shared_ptr<SequenceUpload> open_content(EventLoop* loop,
                                             const std::vector<ContentPiece>& pieces) {
    std::vector<SequenceUpload::Piece> out;
    for (const ContentPiece& p : pieces) {
        if (p.file)
            out.emplace_back(FileUpload::open(loop, p.text));
        else
            out.emplace_back(p.text);
    }
    return std::make_shared<SequenceUpload>(std::move(out));
}

}  // namespace netius::net::http
