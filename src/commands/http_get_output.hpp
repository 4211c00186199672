#pragma once
// Output of the `netius http` commands (get, post, ...): where each URL's content goes (a file
// written atomically, or standard output kept in URL order while transfers run concurrently),
// its --json result line, the -O file name, and the curl-style exit code of a result. Main
// thread (the loop's).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/client/fetch.hpp"
#include "net/http/client/url.hpp"

namespace netius::cmd {

/// Where one URL's bytes go. Methods never throw: failures return false with `error` set.
class GetSink {
  public:
    virtual ~GetSink() = default;
    virtual bool write(std::string_view data, std::string& error) = 0;
    /// Takes back everything written, for a retry; false when it cannot (bytes already on
    /// the terminal or pipe).
    virtual bool restart() = 0;
    /// The transfer ended: `ok` publishes (a file is renamed into place), otherwise what was
    /// written is discarded if it can be. False with `error` when publishing failed.
    virtual bool finish(bool ok, std::string& error) = 0;
};

/// -o FILE: a temporary file next to `path`, renamed to it only when the transfer completed.
/// Throws netius::Error when the temporary file cannot be created.
std::unique_ptr<GetSink> make_file_sink(const std::string& path);

/// Content kept in memory (for --json), refusing more than kMaxInputFile bytes.
class MemorySink final : public GetSink {
  public:
    bool write(std::string_view data, std::string& error) override;
    bool restart() override;
    bool finish(bool, std::string&) override { return true; }
    const std::string& data() const { return data_; }

  private:
    std::string data_;
};

/// Standard output shared by `count` transfers, in URL order: the first unfinished one
/// writes through; later ones are buffered (in memory, and their transfer paused past
/// kMaxBuffered bytes: back-pressure) until every earlier one has finished.
class OrderedStdout {
  public:
    static constexpr std::size_t kMaxBuffered = 8u << 20;
    /// `flow(index, pause)` pauses or resumes transfer `index`.
    OrderedStdout(std::size_t count, std::function<void(std::size_t, bool)> flow);
    std::unique_ptr<GetSink> sink(std::size_t index);

    // What sink(index) does (GetSink's contract).
    bool write(std::size_t index, std::string_view data, std::string& error);
    bool restart(std::size_t index);
    bool finish(std::size_t index, std::string& error);

  private:
    struct Entry {
        std::string buffer;
        bool done = false;
        bool paused = false;
        bool wrote = false;  // bytes of it reached stdout
    };
    bool flush(Entry& e, std::string& error);

    std::vector<Entry> entries_;
    std::size_t current_ = 0;
    std::function<void(std::size_t, bool)> flow_;
};

/// -O: the URL's last path segment ("file.tar.gz" for ".../file.tar.gz?x=1"), as curl does,
/// without percent-decoding. Throws netius::UsageError when the URL names no file ("/").
std::string remote_name(const net::http::Url& url);

/// --json: one line in netius' result shape: {"url", "code", "status", "version" ("HTTP/1.1"
/// or "HTTP/2", the last response's protocol), "headers" (names
/// Title-Cased, repeated fields as lists), "data" (UTF-8 text) or "data_base64" or "file",
/// "received", "last"} on success; {"url", "code": null, "data": null, "error", "message"} on
/// failure. `data` is null when the content went to `file`.
std::string json_result(const net::http::FetchResult& r, const std::string* data,
                        const std::string& file);

/// curl's exit code for a result: 0, 22 (`fail` and a status >= 400), 6 DNS, 7 connect, 8
/// malformed response, 18 truncated content, 23 write error, 26 upload read error, 28
/// timeout, 35 TLS, 47 redirects, 52 closed before any response, 56 closed during it, 60
/// certificate, 61 content coding, 65 upload not rewindable.
int exit_code(const net::http::FetchResult& r, bool fail);

}  // namespace netius::cmd
