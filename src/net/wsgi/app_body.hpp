#pragma once
// The response content of an AppCall pulled on the loop thread (threads == 0): the rest of the
// app's iterable (AppBody) or the file of a wsgi.file_wrapper (AppFileBody, sendfile). Both
// own the call, so the iterable's close() runs when the content ends or the connection closes
// (the destructor). Loop thread, which holds the GIL (http::BodySource contract otherwise).
#include <memory>
#include <optional>
#include <string>

#include "net/http/body_source.hpp"
#include "net/http/file_body.hpp"
#include "net/wsgi/app_call.hpp"

namespace netius::net::wsgi {

class AppBody final : public http::BodySource {
  public:
    /// `first`: content already pulled; `length`: the app's Content-Length.
    AppBody(std::unique_ptr<AppCall> call, std::string first, std::optional<std::uint64_t> length)
        : call_(std::move(call)), first_(std::move(first)), length_(length) {}
    std::optional<std::uint64_t> size() const override { return length_; }
    http::BodyStatus pull(http::BodySink& out) override;

  private:
    std::unique_ptr<AppCall> call_;
    std::string first_;
    std::optional<std::uint64_t> length_;
};

class AppFileBody final : public http::BodySource {
  public:
    /// `call` has a file(); `first` is what write() produced before the file.
    AppFileBody(std::unique_ptr<AppCall> call, std::string first);
    std::optional<std::uint64_t> size() const override { return file_.size(); }
    http::BodyStatus pull(http::BodySink& out) override { return file_.pull(out); }

  private:
    std::unique_ptr<AppCall> call_;  // closed when the content has gone out
    http::FileBody file_;
};

}  // namespace netius::net::wsgi
