// StaticFiles: serving one regular file — precompressed siblings, validators and
// preconditions (RFC 9110 §8.8, §13), ranges (§14) and the streamed body.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include <fmt/format.h>

#include "net/http/encoding.hpp"
#include "net/http/file_body.hpp"
#include "net/http/static/byte_range.hpp"
#include "net/http/static/conditional.hpp"
#include "net/http/static/mime_types.hpp"
#include "net/http/static/static_files.hpp"

namespace netius::net::http {
namespace {

// Header values made for one response live in res.storage; the views are taken by commit(),
// once nothing more is appended (appending may move the storage).
class HeaderText {
  public:
    explicit HeaderText(Response& res) : res_(res) {}
    void add(std::string_view name, std::string_view value) {
        if (count_ == std::size(fields_)) return;  // more than any response here makes
        fields_[count_++] = {name, res_.storage.size(), value.size()};
        res_.storage.append(value);
    }
    void commit() {
        const std::string_view storage = res_.storage;
        for (std::size_t i = 0; i < count_; ++i)
            res_.headers.push_back(
                {fields_[i].name, storage.substr(fields_[i].at, fields_[i].len)});
        count_ = 0;
    }

  private:
    struct Field {
        std::string_view name;
        std::size_t at = 0, len = 0;
    };
    Response& res_;
    Field fields_[8];
    std::size_t count_ = 0;
};

// Files up to this size are read into the response instead of being streamed.
constexpr std::uint64_t kInlineFileBytes = 16 * 1024;

// Appends the `size` bytes of `fd` to `out`; false if the file turned out shorter.
bool read_whole(int fd, std::uint64_t size, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(size));
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd, out.data() + at + done, static_cast<std::size_t>(size) - done,
                            static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string content_range(const ByteRange& r, std::uint64_t size) {
    return fmt::format("bytes {}-{}/{}", r.first, r.last, size);
}

// 206 (RFC 9110 §15.3.7): one range, or multipart/byteranges (§14.6) with a boundary from
// `random`; the header values go into `text`, committed by the caller.
void serve_ranges(Response& res, HeaderText& text, UniqueFd fd, std::uint64_t size,
                  std::string_view content_type, const std::vector<ByteRange>& ranges,
                  std::mt19937_64& random) {
    res.status = Status::kPartialContent;
    res.compressible = false;  // ranges address the bytes as stored
    auto body = std::make_unique<FileBody>(std::move(fd));
    if (ranges.size() == 1) {
        res.headers.push_back({"Content-Type", content_type});
        text.add("Content-Range", content_range(ranges[0], size));
        body->add_range(ranges[0].first, ranges[0].length());
    } else {
        // §14.6 multipart/byteranges: each part with its Content-Type and Content-Range.
        const std::string boundary = fmt::format("netius-{:016x}", random());
        text.add("Content-Type", "multipart/byteranges; boundary=" + boundary);
        for (std::size_t i = 0; i < ranges.size(); ++i) {
            body->add_text(fmt::format("{}--{}\r\nContent-Type: {}\r\nContent-Range: {}\r\n\r\n",
                                       i == 0 ? "" : "\r\n", boundary, content_type,
                                       content_range(ranges[i], size)));
            body->add_range(ranges[i].first, ranges[i].length());
        }
        body->add_text(fmt::format("\r\n--{}--\r\n", boundary));
    }
    res.stream = std::move(body);
}

}  // namespace

void StaticFiles::add_common_headers(Response& res) {
    if (options_.cors) res.headers.push_back({"Access-Control-Allow-Origin", "*"});
    if (options_.precompressed) res.headers.push_back({"Vary", "Accept-Encoding"});
}

std::string_view StaticFiles::choose_sibling(const Request& req, std::string_view relative,
                                             UniqueFd& fd, struct stat& st) {
    static constexpr ContentCoding kBrFirst[] = {ContentCoding::kBrotli, ContentCoding::kGzip,
                                                 ContentCoding::kIdentity};
    static constexpr ContentCoding kGzipOnly[] = {ContentCoding::kGzip, ContentCoding::kIdentity};
    std::span<const ContentCoding> offered = kBrFirst;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto coding = negotiate_encoding(req.head, offered);
        if (!coding || *coding == ContentCoding::kIdentity) return {};
        std::string sibling(relative);
        sibling.append(*coding == ContentCoding::kBrotli ? ".br" : ".gz");
        OpenResult r =
            open_beneath(base_.get(), sibling, O_RDONLY | O_NONBLOCK | O_NOCTTY, beneath_);
        struct stat sst {};
        if (r.fd && ::fstat(r.fd.get(), &sst) == 0 && S_ISREG(sst.st_mode)) {
            fd = std::move(r.fd);
            st = sst;
            return coding_name(*coding);
        }
        if (*coding != ContentCoding::kBrotli) return {};
        offered = kGzipOnly;  // no .br beside it: perhaps a .gz
    }
    return {};
}

void StaticFiles::serve_file(const Request& req, Response& res, std::string_view relative,
                             UniqueFd fd, const struct stat& file_st) {
    const std::string_view content_type = content_type_for(relative);
    struct stat st = file_st;
    std::string_view coding;
    if (options_.precompressed && !relative.ends_with(".gz") && !relative.ends_with(".br"))
        coding = choose_sibling(req, relative, fd, st);
    const auto size = static_cast<std::uint64_t>(st.st_size);

    HeaderText text(res);
    const std::string etag = make_file_etag(st.st_mtim.tv_sec, st.st_mtim.tv_nsec, size);
    const Validators validators{etag, st.st_mtim.tv_sec};
    text.add("ETag", etag);
    char modified[kHttpDateSize];
    format_http_date(st.st_mtim.tv_sec, modified);
    text.add("Last-Modified", std::string_view(modified, kHttpDateSize));
    if (options_.cache_seconds > 0) {
        const std::time_t expires = std::time(nullptr) + options_.cache_seconds;
        text.add("Cache-Control", fmt::format("public, max-age={}", options_.cache_seconds));
        text.add("Expires", expires_.get(expires));
    }

    switch (evaluate_preconditions(req.head, validators)) {
        case Precondition::kNotModified:
            res.status = Status::kNotModified;  // §15.4.5: the validators, no content
            text.commit();
            add_common_headers(res);
            // The Vary a 200 would carry under --encoding gzip (§15.4.5) is the server's.
            res.compressible = coding.empty() && is_compressible(content_type);
            return;
        case Precondition::kFailed:
            set_error_response(res, Status::kPreconditionFailed);
            return;
        case Precondition::kProceed:
            break;
    }

    // §14.2: Range is defined for GET only; If-Range decides whether it still applies.
    const std::optional<std::string_view> range =
        req.head.method == "GET" ? req.head.get("Range") : std::nullopt;
    std::vector<ByteRange> ranges;
    RangeOutcome outcome = RangeOutcome::kIgnore;
    if (range && if_range_allows(req.head, validators))
        outcome = resolve_ranges(*range, size, ranges);
    if (outcome == RangeOutcome::kUnsatisfiable) {
        set_error_response(res, Status::kRangeNotSatisfiable);
        HeaderText unsatisfied(res);
        unsatisfied.add("Content-Range", fmt::format("bytes */{}", size));
        unsatisfied.commit();
        res.body = std::string_view(res.storage).substr(0, res.storage.find('\n') + 1);
        return;
    }

    res.headers.push_back({"Accept-Ranges", "bytes"});
    if (!coding.empty()) res.headers.push_back({"Content-Encoding", coding});
    add_common_headers(res);
    if (outcome == RangeOutcome::kSatisfiable) {
        serve_ranges(res, text, std::move(fd), size, content_type, ranges, boundaries_);
        text.commit();
        return;
    }
    res.headers.push_back({"Content-Type", content_type});
    res.compressible = coding.empty() && is_compressible(content_type);
    // A small file goes out with its head in one write (one segment, and batched with other
    // pipelined responses) instead of a write and a sendfile: same syscalls, fewer packets.
    // A HEAD reads it too when it may be compressed on the fly: its fields must be GET's
    // (RFC 9110 §9.3.2), and coded content is framed by its coded size, known once coded.
    const std::size_t at = res.storage.size();
    const bool inline_ok =
        req.head.method == "GET" || (req.head.method == "HEAD" && res.compressible);
    if (inline_ok && size <= kInlineFileBytes && read_whole(fd.get(), size, res.storage)) {
        text.commit();
        res.body = std::string_view(res.storage).substr(at);
        return;
    }
    res.storage.resize(at);
    text.commit();
    auto body = std::make_unique<FileBody>(std::move(fd));
    body->add_range(0, size);
    res.stream = std::move(body);
}

}  // namespace netius::net::http
