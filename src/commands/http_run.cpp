#include "commands/http_run.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>

#include "commands/http_get_output.hpp"
#include "commands/http_get_progress.hpp"
#include "crypto/random.hpp"
#include "net/event_loop.hpp"
#include "net/http/client/fetch.hpp"
#include "net/http/client/redirect.hpp"
#include "net/tls_context.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

using namespace net::http;
using std::chrono::milliseconds;

constexpr int kExitBadUrl = 3;         // curl's CURLE_URL_MALFORMAT
constexpr int kExitInterrupted = 130;  // 128 + SIGINT

milliseconds seconds(double s) {
    return milliseconds(static_cast<long long>(s * 1000));
}

std::string report_line(const HttpOptions& o, const std::string& url, const std::string& message) {
    return fmt::format("netius: {}: {}: {}\n", o.command, url, message);
}

// -v: a head as curl shows it, each line behind `mark`.
std::string format_head(std::string_view prefix, char mark, std::string_view raw) {
    std::string out;
    while (!raw.empty()) {
        std::size_t eol = raw.find('\n');
        std::string_view line = raw.substr(0, eol);
        raw = eol == std::string_view::npos ? std::string_view{} : raw.substr(eol + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out += fmt::format("{}{} {}\n", prefix, mark, line);
    }
    return out;
}

// The request every URL starts from: method, fields and (all text) content from the options.
ClientRequest base_request(const HttpOptions& o, const BodyPlan& body) {
    ClientRequest r;
    r.method = o.default_method.value_or(body.empty() ? "GET" : "POST");
    if (o.head) r.method = "HEAD";
    if (o.method) r.method = *o.method;
    r.headers = body.fields;
    if (!body.streamed()) r.body = body.text();
    for (const std::string& h : o.headers) {
        const std::size_t colon = h.find(':');
        std::string name = h.substr(0, colon);
        std::string_view value =
            colon == std::string::npos ? std::string_view{} : std::string_view(h).substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        if (colon == std::string::npos || !valid_field(name, value))
            throw UsageError("-H '{}' is not 'Name: value'", h);
        std::erase_if(r.headers, [&](const auto& f) { return iequals(f.first, name); });
        r.headers.emplace_back(std::move(name), std::string(value));
    }
    if (o.user_agent) r.user_agent = *o.user_agent;
    if (o.decode) r.accept_encoding = std::string(ContentDecoder::accept_encoding());
    return r;
}

struct Transfer {
    std::string label;  // the URL as given, for messages
    ClientRequest request;
    std::string file;  // -o/-O target, empty for stdout
    std::unique_ptr<GetSink> sink;
    MemorySink* memory = nullptr;  // --json without a file
    std::unique_ptr<GetSink> json_out;
    std::shared_ptr<Fetch> fetch;
    FetchResult result;
    bool http_failed = false;  // --fail and a status >= 400: no content is written
    int exit = 0;
};

class Runner {
  public:
    Runner(const HttpOptions& o, net::EventLoop& loop, HttpClient& client)
        : o_(o), loop_(loop), client_(client) {}

    int run(std::vector<Transfer>& transfers);

  private:
    FetchCallbacks callbacks(Transfer& t, std::size_t index);
    void done(Transfer& t, const FetchResult& r);
    /// Writes whole lines to stderr, through the progress bar when it is shown (one writer:
    /// the lines never land in the middle of the bar's).
    void print(std::string_view lines);

    const HttpOptions& o_;
    net::EventLoop& loop_;
    HttpClient& client_;
    std::vector<Transfer>* transfers_ = nullptr;
    std::unique_ptr<OrderedStdout> stdout_;
    std::unique_ptr<ProgressBar> progress_;
    std::size_t remaining_ = 0;
    bool interrupted_ = false;
};

int Runner::run(std::vector<Transfer>& transfers) {
    transfers_ = &transfers;
    stdout_ = std::make_unique<OrderedStdout>(transfers.size(), [this](std::size_t i, bool pause) {
        Transfer& t = (*transfers_)[i];
        if (!t.fetch) return;
        if (pause)
            t.fetch->pause();
        else
            t.fetch->resume();
    });
    bool to_files = true;
    for (std::size_t i = 0; i < transfers.size(); ++i) {
        Transfer& t = transfers[i];
        if (!t.file.empty()) {
            t.sink = make_file_sink(t.file);
        } else if (o_.json) {
            auto memory = std::make_unique<MemorySink>();
            t.memory = memory.get();
            t.sink = std::move(memory);
            to_files = false;
        } else {
            t.sink = stdout_->sink(i);
            to_files = false;
        }
        if (o_.json) t.json_out = stdout_->sink(i);
    }
    const bool bar = o_.progress.value_or(!o_.silent && to_files && ::isatty(STDERR_FILENO));
    if (bar) progress_ = std::make_unique<ProgressBar>(&loop_, transfers.size());
    auto interrupt = [this] {
        interrupted_ = true;
        for (Transfer& t : *transfers_)
            if (t.fetch && !t.fetch->finished()) t.fetch->abort("interrupted");
    };
    loop_.on_signal(SIGINT, interrupt);
    loop_.on_signal(SIGTERM, interrupt);

    FetchOptions fo;
    fo.follow_redirects = o_.follow;
    fo.max_redirects = o_.max_redirects;
    fo.retries = o_.retries;
    if (o_.retry_delay) fo.retry_delay = seconds(*o_.retry_delay);
    fo.max_time = seconds(o_.max_time);
    fo.decode = o_.decode;
    remaining_ = transfers.size();
    for (std::size_t i = 0; i < transfers.size(); ++i)
        transfers[i].fetch =
            Fetch::start(client_, transfers[i].request, fo, callbacks(transfers[i], i));
    loop_.loop();
    if (progress_) progress_->stop();
    for (Transfer& t : transfers) t.fetch.reset();  // before the client they refer to
    int code = 0;
    for (const Transfer& t : transfers)
        if (t.exit) code = t.exit;  // curl: the last failure's code
    return interrupted_ ? kExitInterrupted : code;
}

FetchCallbacks Runner::callbacks(Transfer& t, std::size_t index) {
    FetchCallbacks cb;
    const std::string prefix =
        transfers_->size() > 1 ? fmt::format("[{}] ", index + 1) : std::string();
    if (o_.verbose) {
        cb.info = [this, prefix](std::string_view line) {
            print(fmt::format("{}* {}\n", prefix, line));
        };
        cb.request = [this, prefix](std::string_view raw) { print(format_head(prefix, '>', raw)); };
    }
    cb.response = [this, &t, prefix](std::string_view raw, const ClientResponseHead& head) {
        if (o_.verbose) print(format_head(prefix, '<', raw));
        std::string error;
        if (o_.include && head.status >= 200 && !t.sink->write(raw, error)) t.fetch->abort(error);
    };
    cb.final_head = [this, &t](const ClientResponseHead& head) {
        t.http_failed = o_.fail && head.status >= 400;
        if (progress_)
            progress_->expect(head.content_length.value_or(0),
                              head.content_length && !head.get("Content-Encoding"));
    };
    cb.data = [this, &t](std::string_view data) {
        if (t.http_failed) return;
        std::string error;
        if (!t.sink->write(data, error)) t.fetch->abort(error);
        if (progress_) progress_->add(data.size());
    };
    cb.restart = [&t] { return t.sink->restart(); };
    cb.done = [this, &t](const FetchResult& r) { done(t, r); };
    return cb;
}

void Runner::done(Transfer& t, const FetchResult& r) {
    t.result = r;
    std::string error;
    const bool ok = r.ok() && !t.http_failed;
    if (!t.sink->finish(ok, error) && ok) {
        t.result.error = FetchResult::Error::kAborted;
        t.result.message = error;
    }
    t.exit = exit_code(t.result, o_.fail);
    if (!t.result.ok())
        print(report_line(o_, t.label, t.result.message));
    else if (t.exit == 22)
        print(report_line(o_, t.label, fmt::format("the server answered {} {}", r.code, r.status)));
    if (t.json_out) {
        const std::string line =
            json_result(t.result, t.memory ? &t.memory->data() : nullptr, t.file);
        if (!t.json_out->write(line, error) || !t.json_out->finish(true, error))
            print(report_line(o_, t.label, error));
    }
    if (progress_) progress_->finished_one();
    if (--remaining_ == 0) loop_.quit();
}

void Runner::print(std::string_view lines) {
    if (progress_)
        progress_->print(lines);
    else
        std::fwrite(lines.data(), 1, lines.size(), stderr);
}

}  // namespace

int run_http(const HttpOptions& o) {
    if (o.ipv4 && o.ipv6) throw UsageError("-4 and -6 exclude each other");
    if (o.json && o.include) throw UsageError("--json and --include exclude each other");
    if (o.http_flags & (o.http_flags - 1))
        throw UsageError("--http2, --http1.1 and --http2-prior-knowledge exclude each other");
    if (o.outputs.size() > o.urls.size())
        throw UsageError("{} -o options for {} URLs", o.outputs.size(), o.urls.size());
    if (o.urls.empty()) throw UsageError("URL is required");
    // curl's boundary: dashes, then random letters and digits (RFC 2046 §5.1.1: at most 70).
    const BodyPlan body =
        plan_body(o.body, "------------------------" + crypto::random_alnum(24), read_input);
    if (o.head && !body.empty())
        throw UsageError(
            "a HEAD request (-I) carries no content: drop -d/--data*, --json DATA "
            "and -F");
    if (body.reads_stdin() && o.urls.size() > 1)
        throw UsageError("standard input (@-) can be sent to one URL only");
    const ClientRequest base = base_request(o, body);
    net::EventLoop loop;
    std::vector<Transfer> transfers(o.urls.size());
    for (std::size_t i = 0; i < o.urls.size(); ++i) {
        Transfer& t = transfers[i];
        t.label = o.urls[i];
        t.request = base;
        std::string error;
        if (!parse_url(o.urls[i], t.request.url, error)) {
            if (std::find(o.json_urls.begin(), o.json_urls.end(), o.urls[i]) != o.json_urls.end())
                throw UsageError("--json '{}': neither JSON content nor a URL ({})", o.urls[i],
                                 error);
            std::fputs(report_line(o, o.urls[i], error).c_str(), stderr);
            return kExitBadUrl;
        }
        t.label = t.request.url.to_string();
        if (i < o.outputs.size() && o.outputs[i] != "-")
            t.file = o.outputs[i];
        else if (i >= o.outputs.size() && o.remote_name)
            t.file = remote_name(t.request.url);
    }
    // Each URL reads the files afresh (opened now: a missing one fails before anything runs).
    if (body.streamed())
        for (Transfer& t : transfers) t.request.upload = open_content(&loop, body.pieces);
    HttpClientOptions co;
    co.dns.nameservers = o.nameservers;
    co.family = o.ipv4 ? AF_INET : o.ipv6 ? AF_INET6 : AF_UNSPEC;
    co.max_connections_per_origin = static_cast<std::size_t>(o.max_connections);
    co.connection.connect_timeout = seconds(o.connect_timeout);
    co.connection.receive_timeout = seconds(o.timeout);
    // An OpenSSL context costs milliseconds: made up front when a URL needs it (so a bad
    // --cacert is reported before anything runs), else only if a redirect leads to https.
    co.connection.prior_knowledge = o.http == HttpOptions::Http::k2PriorKnowledge;
    // ALPN (RFC 7301): h2 first unless --http1.1; a server that picks neither gets HTTP/1.1.
    const std::vector<std::string> alpn = o.http == HttpOptions::Http::k11
                                              ? net::kHttp11Alpn
                                              : std::vector<std::string>{"h2", "http/1.1"};
    co.make_tls = [&o, alpn] { return net::TlsContext::client(!o.insecure, o.cacert, alpn); };
    const bool https = std::any_of(transfers.begin(), transfers.end(),
                                   [](const Transfer& t) { return t.request.url.tls(); });
    if (https || !o.cacert.empty()) co.connection.tls = co.make_tls();
    HttpClient client(&loop, co);
    Runner runner(o, loop, client);
    return runner.run(transfers);
}

}  // namespace netius::cmd
