#pragma once
// Fetch — one URL's transfer on an HttpClient, the way a command-line user means it: follows
// redirects (redirect.hpp rules, at most max_redirects), retries transient failures with
// back-off (connection errors, time-outs, 408/429/5xx; a request that was sent only when its
// method is idempotent, RFC 9110 §9.2.2, and its upload can be rewound), decodes the content
// codings (net/http/content_decoder.hpp) and streams the content to its data callback (netius'
// on_partial), bounded as a whole by max_time. The outcome, success or failure, is one FetchResult
// in the shape of netius' result dict (code, status, headers, error, message). Loop thread only.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/http/client/client_request.hpp"
#include "net/http/client/http_client.hpp"
#include "net/http/content_decoder.hpp"

namespace netius::net::http {

struct FetchOptions {
    bool follow_redirects = true;
    int max_redirects = 10;
    int retries = 0;
    std::optional<std::chrono::milliseconds> retry_delay;  // default: back-off (redirect.hpp)
    std::chrono::milliseconds max_time{0};                 // whole transfer; 0 = unbounded
    bool decode = true;                                    // undo Content-Encoding
};

struct FetchResult {
    enum class Error {
        kNone,
        kDns,
        kConnect,
        kTimeout,
        kTls,
        kTlsVerify,
        kClosed,     // closed or reset before the response was complete
        kProtocol,   // malformed response
        kTruncated,  // closed in the middle of the content
        kRedirects,  // more than max_redirects, or a bad Location
        kDecode,     // unknown or corrupt content coding
        kAborted,    // the caller's data callback gave up (abort())
        kUpload,     // the request's upload failed (its source's error)
        kRewind,     // a 307/308 redirect (or a retry) needs the upload again: not rewindable
    };
    Error error = Error::kNone;
    std::string message;
    int code = 0;                        // status code of the last response (0: none)
    std::string status;                  // its reason phrase
    Version version = Version::kHttp11;  // its protocol (HTTP/2 when a stream carried it)
    std::vector<std::pair<std::string, std::string>> headers;  // in order, as received
    std::string url;                                           // the last URL, no userinfo
    std::uint64_t received = 0;  // content bytes as transferred (before decoding)
    std::uint64_t decoded = 0;   // content bytes handed to the data callback
    double last = 0;             // Unix time of the last content byte (0: none came)
    int redirects = 0;
    int retries = 0;

    bool ok() const { return error == Error::kNone; }
    /// "dns", "connect", "timeout", "tls", "closed", "protocol", "truncated", "redirects",
    /// "decode", "aborted", "upload", "rewind" (netius' names where it has them: "timeout",
    /// "closed").
    static const char* error_name(Error e);
};

struct FetchCallbacks {
    std::function<void(std::string_view line)> info;         // -v "* ..." lines
    std::function<void(std::string_view raw_head)> request;  // each request head sent
    std::function<void(std::string_view raw, const ClientResponseHead& head)> response;  // each
    /// The head whose content follows (not redirected, not retried).
    std::function<void(const ClientResponseHead& head)> final_head;
    std::function<void(std::string_view data)> data;  // decoded content as it arrives
    /// A retry after content was delivered: discard it and return true, or false if it cannot
    /// be taken back (then the failure stands).
    std::function<bool()> restart;
    std::function<void(const FetchResult& result)> done;  // once, last
};

class Fetch : public std::enable_shared_from_this<Fetch> {
  public:
    /// Starts fetching `request`; the client must outlive the transfer. Callbacks never run
    /// inside start().
    static std::shared_ptr<Fetch> start(HttpClient& client, ClientRequest request,
                                        FetchOptions options, FetchCallbacks callbacks);
    Fetch(HttpClient& client, ClientRequest request, FetchOptions options,
          FetchCallbacks callbacks);
    ~Fetch();

    /// Back-pressure from a slow sink: stop/resume reading the content.
    void pause();
    void resume();
    /// Ends the transfer with Error::kAborted and `message` (e.g. a failed write); done runs.
    void abort(std::string message);
    bool finished() const { return finished_; }

  private:
    void send();
    void on_response(std::string_view raw, const ClientResponseHead& head);
    void on_data(std::string_view data);
    void on_done(const std::optional<ExchangeError>& error);
    void retry_later(std::optional<std::string_view> retry_after);
    /// Whether the request may be sent again after this attempt: its method is idempotent or
    /// nothing was sent, and its upload (if any) can be rewound.
    bool resendable() const;
    /// Rewinds the request's upload for the next attempt (`why`: "retry"); false, after
    /// finish(kRewind), when it cannot.
    bool rewind_upload(std::string_view why);
    void finish(FetchResult::Error error, std::string message);

    HttpClient& client_;
    ClientRequest request_;
    FetchOptions options_;
    FetchCallbacks callbacks_;
    FetchResult result_;
    ContentDecoder decoder_;
    std::uint64_t exchange_ = 0;  // HttpClient request id
    enum class Next { kDeliver, kRedirect, kRetry } next_ = Next::kDeliver;
    std::optional<ClientRequest> redirect_;
    std::optional<std::string> retry_after_;
    bool delivered_ = false;  // content went to the data callback in this attempt
    bool sent_ = false;       // the request head went out in this attempt
    bool finished_ = false;
    TimerId max_timer_;
    TimerId retry_timer_;
};

}  // namespace netius::net::http
