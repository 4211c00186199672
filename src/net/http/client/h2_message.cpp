#include "net/http/client/h2_message.hpp"

#include <charconv>

#include <fmt/format.h>

#include "net/http/char_class.hpp"
#include "net/http/status.hpp"

namespace netius::net::http {
namespace {

using detail::iequals;

// RFC 9113 §8.2.2: fields that only mean something for one HTTP/1.1 connection.
bool connection_specific(std::string_view name, std::string_view value) {
    for (std::string_view n :
         {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"})
        if (iequals(name, n)) return true;
    return iequals(name, "te") && !iequals(value, "trailers");
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = detail::ascii_lower(c);
    return out;
}

// RFC 9113 §6.5.2: a field's size is its name's and value's lengths plus 32.
constexpr std::size_t kFieldOverhead = 32;

}  // namespace

FieldList h2_request_fields(const ClientRequest& r) {
    FieldList fields = request_fields(r);
    std::string authority = r.url.authority();
    for (const auto& [name, value] : fields)
        if (iequals(name, "Host")) authority = value;
    FieldList out;
    out.reserve(fields.size() + 4);
    out.emplace_back(":method", r.method);
    out.emplace_back(":scheme", r.url.scheme);
    out.emplace_back(":authority", std::move(authority));
    out.emplace_back(":path", r.url.target);
    for (auto& [name, value] : fields)
        if (!connection_specific(name, value)) out.emplace_back(lower(name), std::move(value));
    return out;
}

std::string h2_request_display(const ClientRequest& r, const FieldList& fields) {
    std::string out = fmt::format("{} {} HTTP/2\r\n", r.method, r.url.target);
    for (const auto& [name, value] : fields)
        if (name == ":authority")
            out += fmt::format("host: {}\r\n", value);  // as curl shows it
        else if (!name.starts_with(':'))
            out += fmt::format("{}: {}\r\n", name, value);
    return out + "\r\n";
}

void H2ResponseHead::reset() {
    status_ = 0;
    bytes_ = 0;
    raw_.clear();
    names_.clear();
    values_.clear();
    error_.clear();
}

bool H2ResponseHead::add(std::string_view name, std::string_view value) {
    bytes_ += name.size() + value.size() + kFieldOverhead;
    if (bytes_ > limits_->max_head_bytes) {
        error_ = fmt::format("response head larger than {} bytes", limits_->max_head_bytes);
        return false;
    }
    if (name == ":status") {
        int code = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
        if (ec != std::errc{} || end != value.data() + value.size() || code < 100 || code > 999) {
            error_ = fmt::format("bad :status '{}'", value);
            return false;
        }
        status_ = code;
        return true;
    }
    if (name.starts_with(':')) return true;  // nghttp2 lets no other one through
    if (names_.size() >= limits_->max_header_count) {
        error_ = fmt::format("more than {} response header fields", limits_->max_header_count);
        return false;
    }
    // Gathered as "name: value\r\n" lines: raw() is this text behind the status line.
    names_.emplace_back(raw_.size(), name.size());
    raw_.append(name).append(": ");
    values_.emplace_back(raw_.size(), value.size());
    raw_.append(value).append("\r\n");
    return true;
}

bool H2ResponseHead::finish(ClientResponseHead& head) {
    head.clear();
    if (status_ == 0) {
        error_ = "a response without :status";
        return false;
    }
    const std::string line = fmt::format("HTTP/2 {}\r\n", status_);
    if (!raw_.starts_with("HTTP/2 ")) raw_.insert(0, line).append("\r\n");
    const char* base = raw_.data() + line.size();
    head.version = Version::kHttp2;
    head.status = status_;
    head.reason = reason_phrase(static_cast<Status>(status_));
    for (std::size_t i = 0; i < names_.size(); ++i) {
        Header h{{base + names_[i].first, names_[i].second},
                 {base + values_[i].first, values_[i].second}};
        head.headers.push_back(h);
        // nghttp2 checked that every content-length holds the same number (RFC 9113 §8.1.1).
        std::uint64_t n = 0;
        if (!head.content_length && iequals(h.name, "content-length") &&
            std::from_chars(h.value.data(), h.value.data() + h.value.size(), n).ec == std::errc{})
            head.content_length = n;
    }
    return true;
}

}  // namespace netius::net::http
