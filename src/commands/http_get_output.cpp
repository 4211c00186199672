#include "commands/http_get_output.hpp"

#include <algorithm>

#include "crypto/encoding.hpp"
#include "net/http/static/text_escape.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace netius::cmd {
namespace {

using net::http::FetchResult;

class FileSink final : public GetSink {
  public:
    explicit FileSink(const std::string& path) : file_(path, WriteOptions{.fsync = false}) {}

    bool write(std::string_view data, std::string& error) override {
        return guarded([&] { file_.write(data); }, error);
    }
    bool restart() override {
        std::string ignored;
        return guarded([&] { file_.truncate(); }, ignored);
    }
    bool finish(bool ok, std::string& error) override {
        // Without commit() the AtomicFile's destructor removes the temporary file.
        return !ok || guarded([&] { file_.commit(); }, error);
    }

  private:
    template <typename F>
    static bool guarded(F f, std::string& error) {
        try {
            f();
            return true;
        } catch (const Error& e) {
            error = e.what();
            return false;
        }
    }
    AtomicFile file_;
};

class StdoutSink final : public GetSink {
  public:
    StdoutSink(OrderedStdout& out, std::size_t index) : out_(out), index_(index) {}
    bool write(std::string_view data, std::string& error) override {
        return out_.write(index_, data, error);
    }
    bool restart() override { return out_.restart(index_); }
    bool finish(bool, std::string& error) override { return out_.finish(index_, error); }

  private:
    OrderedStdout& out_;
    std::size_t index_;
};

// "content-type" -> "Content-Type", as netius presents header names.
std::string title_case(std::string_view name) {
    std::string out(name);
    bool start = true;
    for (char& c : out) {
        c = start ? ascii_upper(c) : ascii_lower(c);
        start = c == '-';
    }
    return out;
}

// Whether `text` is valid UTF-8: append_json_string replaces each invalid byte with U+FFFD,
// so the escaped form holds more U+FFFD than the input exactly when a byte was invalid.
bool valid_utf8(std::string_view text, const std::string& escaped) {
    auto count = [](std::string_view s) {
        std::size_t n = 0;
        for (std::size_t i = s.find("\xEF\xBF\xBD"); i != std::string_view::npos;
             i = s.find("\xEF\xBF\xBD", i + 3))
            ++n;
        return n;
    };
    return count(text) == count(escaped);
}

}  // namespace

std::unique_ptr<GetSink> make_file_sink(const std::string& path) {
    return std::make_unique<FileSink>(path);
}

bool MemorySink::write(std::string_view data, std::string& error) {
    if (data_.size() + data.size() > kMaxInputFile) {
        error = fmt::format("the content is larger than {} MiB; use -o FILE with --json",
                            kMaxInputFile >> 20);
        return false;
    }
    data_.append(data);
    return true;
}

bool MemorySink::restart() {
    data_.clear();
    return true;
}

// ---- OrderedStdout ----

OrderedStdout::OrderedStdout(std::size_t count, std::function<void(std::size_t, bool)> flow)
    : entries_(count), flow_(std::move(flow)) {}

std::unique_ptr<GetSink> OrderedStdout::sink(std::size_t index) {
    return std::make_unique<StdoutSink>(*this, index);
}

bool OrderedStdout::restart(std::size_t index) {
    Entry& e = entries_[index];
    if (e.wrote) return false;
    e.buffer.clear();
    return true;
}

bool OrderedStdout::write(std::size_t index, std::string_view data, std::string& error) {
    Entry& e = entries_[index];
    if (index == current_) {
        e.wrote = e.wrote || !data.empty();
        try {
            write_stdout(data);
        } catch (const Error& ex) {
            error = ex.what();
            return false;
        }
        return true;
    }
    e.buffer.append(data);
    if (!e.paused && e.buffer.size() > kMaxBuffered) {
        e.paused = true;
        flow_(index, true);
    }
    return true;
}

bool OrderedStdout::flush(Entry& e, std::string& error) {
    if (e.buffer.empty()) return true;
    e.wrote = true;
    std::string buffer = std::move(e.buffer);
    e.buffer.clear();
    try {
        write_stdout(buffer);
    } catch (const Error& ex) {
        error = ex.what();
        return false;
    }
    return true;
}

bool OrderedStdout::finish(std::size_t index, std::string& error) {
    entries_[index].done = true;
    bool ok = true;
    // Hand stdout on to the next transfers in order: finished ones flush whole, the first
    // unfinished one flushes what it has and carries on writing through.
    while (current_ < entries_.size() && entries_[current_].done) {
        if (++current_ == entries_.size()) break;
        Entry& next = entries_[current_];
        ok = flush(next, error) && ok;
        if (!next.done && next.paused) {
            next.paused = false;
            flow_(current_, false);
        }
    }
    return ok;
}

// ---- names, JSON, exit codes ----

std::string remote_name(const net::http::Url& url) {
    std::string_view path = url.target;
    path = path.substr(0, path.find('?'));
    std::string_view name = path.substr(path.rfind('/') + 1);
    if (name.empty() || name == "." || name == "..")
        throw UsageError("-O: '{}' names no file; use -o FILE", url.to_string());
    return std::string(name);
}

std::string json_result(const FetchResult& r, const std::string* data, const std::string& file) {
    using net::http::append_json_string;
    std::string out = "{\"url\":";
    append_json_string(out, r.url);
    if (!r.ok()) {
        out += ",\"code\":";
        out += r.code ? std::to_string(r.code) : "null";
        out += R"(,"data":null,"error":)";
        append_json_string(out, FetchResult::error_name(r.error));
        out += ",\"message\":";
        append_json_string(out, r.message);
        return out + "}\n";
    }
    out += fmt::format(R"(,"code":{},"status":)", r.code);
    append_json_string(out, r.status);
    out += r.version == net::http::Version::kHttp2 ? R"(,"version":"HTTP/2")"
                                                   : R"(,"version":"HTTP/1.1")";
    out += ",\"headers\":{";
    // Repeated fields become a list, in order, under the first spelling's Title-Case name.
    std::vector<std::pair<std::string, std::vector<std::string_view>>> fields;
    for (const auto& [name, value] : r.headers) {
        std::string key = title_case(name);
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == key; });
        if (it == fields.end()) {
            fields.emplace_back(std::move(key), std::vector<std::string_view>{});
            it = std::prev(fields.end());
        }
        it->second.push_back(value);
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ",";
        append_json_string(out, fields[i].first);
        out += ":";
        const auto& values = fields[i].second;
        if (values.size() > 1) out += "[";
        for (std::size_t k = 0; k < values.size(); ++k) {
            if (k) out += ",";
            append_json_string(out, values[k]);
        }
        if (values.size() > 1) out += "]";
    }
    out += "}";
    if (data) {
        std::string text;
        append_json_string(text, *data);
        if (valid_utf8(*data, text))
            out += ",\"data\":" + text;
        else
            out += R"(,"data_base64":")" + crypto::base64_encode(*data) + "\"";
    } else {
        out += R"(,"data":null,"file":)";
        append_json_string(out, file);
    }
    out += fmt::format(",\"received\":{}", r.received);
    if (r.last > 0) out += fmt::format(",\"last\":{:.6f}", r.last);
    return out + "}\n";
}

int exit_code(const FetchResult& r, bool fail) {
    using E = FetchResult::Error;
    switch (r.error) {
        case E::kNone:
            return fail && r.code >= 400 ? 22 : 0;
        case E::kDns:
            return 6;
        case E::kConnect:
            return 7;
        case E::kProtocol:
            return 8;
        case E::kTruncated:
            return 18;
        case E::kAborted:
            return 23;
        case E::kTimeout:
            return 28;
        case E::kTls:
            return 35;
        case E::kRedirects:
            return 47;
        case E::kClosed:
            return r.code == 0 ? 52 : 56;
        case E::kTlsVerify:
            return 60;
        case E::kDecode:
            return 61;
        case E::kUpload:
            return 26;
        case E::kRewind:
            return 65;
    }
    return 1;
}

}  // namespace netius::cmd
