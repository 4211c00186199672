#include "net/wsgi/app_body.hpp"

#include "net/http/h1/body_stream.hpp"

namespace netius::net::wsgi {

http::BodyStatus AppBody::pull(http::BodySink& out) {
    if (!first_.empty()) {
        out.write(first_);
        first_.clear();
        first_.shrink_to_fit();
        return http::BodyStatus::kMore;
    }
    std::string piece;
    const http::BodyStatus status = call_->next(piece, http::BodyStream::kPieceSize / 2);
    if (!piece.empty()) out.write(piece);
    return status;
}

AppFileBody::AppFileBody(std::unique_ptr<AppCall> call, std::string first)
    : call_(std::move(call)), file_(std::move(call_->file()->fd)) {
    file_.add_text(std::move(first));
    file_.add_range(call_->file()->offset, call_->file()->length);
}

}  // namespace netius::net::wsgi
