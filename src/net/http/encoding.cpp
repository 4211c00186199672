#include "net/http/encoding.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

#include "net/http/char_class.hpp"
#include "util/error.hpp"

namespace netius::net::http {

namespace {

using detail::iequals;
using detail::trim_ows;

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 9110 §12.4.2), in
// thousandths; -1 when malformed.
int parse_qvalue(std::string_view v) {
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
    int q = (v[0] - '0') * 1000;
    if (v.size() == 1) return q;
    if (v[1] != '.' || v.size() > 5) return -1;
    int scale = 100;
    for (char c : v.substr(2)) {
        if (c < '0' || c > '9') return -1;
        q += (c - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? -1 : q;
}

// What Accept-Encoding said: q (thousandths) per coding we know and for "*", -1 = unlisted.
struct Preferences {
    int identity = -1, gzip = -1, deflate = -1, br = -1, any = -1;

    void add_line(std::string_view value) {
        for_each_list_element(value, [this](std::string_view element) { add(element); });
    }

    void add(std::string_view element) {
        std::size_t semi = element.find(';');
        std::string_view name = trim_ows(element.substr(0, semi));
        int q = 1000;
        while (semi != std::string_view::npos) {  // weight = OWS ";" OWS "q=" qvalue
            element.remove_prefix(semi + 1);
            semi = element.find(';');
            std::string_view param = trim_ows(element.substr(0, semi));
            std::size_t eq = param.find('=');
            if (eq == std::string_view::npos) return;
            if (!iequals(trim_ows(param.substr(0, eq)), "q")) continue;
            q = parse_qvalue(trim_ows(param.substr(eq + 1)));
            if (q < 0) return;
        }
        int* slot = nullptr;
        if (name == "*")
            slot = &any;
        else if (iequals(name, "identity"))
            slot = &identity;
        else if (auto c = parse_coding(name))
            slot = *c == ContentCoding::kGzip     ? &gzip
                   : *c == ContentCoding::kBrotli ? &br
                                                  : &deflate;
        if (slot && *slot < 0) *slot = q;  // the first mention counts
    }

    // Rank of `c`: 0 = not acceptable; listed codings rank by 2*q, an unlisted identity 1.
    int rank(ContentCoding c) const {
        int listed = c == ContentCoding::kGzip      ? gzip
                     : c == ContentCoding::kDeflate ? deflate
                     : c == ContentCoding::kBrotli  ? br
                                                    : identity;
        if (listed >= 0) return 2 * listed;
        if (any >= 0) return 2 * any;
        return c == ContentCoding::kIdentity ? 1 : 0;
    }
};

std::optional<ContentCoding> choose(const Preferences& prefs,
                                    std::span<const ContentCoding> offered) {
    std::optional<ContentCoding> best;
    int best_rank = 0;
    for (ContentCoding c : offered) {
        int r = prefs.rank(c);
        if (r > best_rank) best = c, best_rank = r;
    }
    return best;
}

std::optional<ContentCoding> without_field(std::span<const ContentCoding> offered) {
    if (offered.empty()) return std::nullopt;
    if (std::find(offered.begin(), offered.end(), ContentCoding::kIdentity) != offered.end())
        return ContentCoding::kIdentity;
    return offered.front();
}

}  // namespace

std::string_view coding_name(ContentCoding coding) noexcept {
    switch (coding) {
        case ContentCoding::kGzip:
            return "gzip";
        case ContentCoding::kDeflate:
            return "deflate";
        case ContentCoding::kBrotli:
            return "br";
        case ContentCoding::kIdentity:
            break;
    }
    return "identity";
}

std::optional<ContentCoding> parse_coding(std::string_view name) noexcept {
    if (iequals(name, "gzip") || iequals(name, "x-gzip")) return ContentCoding::kGzip;
    if (iequals(name, "deflate")) return ContentCoding::kDeflate;
    if (iequals(name, "br")) return ContentCoding::kBrotli;
    if (iequals(name, "identity")) return ContentCoding::kIdentity;
    return std::nullopt;
}

std::optional<ContentCoding> negotiate_encoding(std::span<const std::string_view> accept_encoding,
                                                std::span<const ContentCoding> offered) noexcept {
    if (accept_encoding.empty()) return without_field(offered);
    Preferences prefs;
    for (std::string_view line : accept_encoding) prefs.add_line(line);
    return choose(prefs, offered);
}

std::optional<ContentCoding> negotiate_encoding(const RequestHead& request,
                                                std::span<const ContentCoding> offered) noexcept {
    Preferences prefs;
    bool present = false;
    for (const Header& h : request.headers) {
        if (!iequals(h.name, "accept-encoding")) continue;
        present = true;
        prefs.add_line(h.value);
    }
    return present ? choose(prefs, offered) : without_field(offered);
}

void Compressor::Deleter::operator()(z_stream_s* z) const noexcept {
    deflateEnd(z);
    delete z;
}

Compressor::Compressor(ContentCoding coding, int level) {
    if (coding == ContentCoding::kIdentity || coding == ContentCoding::kBrotli)
        throw std::invalid_argument("Compressor: only gzip and deflate are compressed here");
    if (level < -1 || level > 9) throw std::invalid_argument("Compressor: level must be -1..9");
    auto z = std::make_unique<z_stream_s>();
    // windowBits 15 = zlib format; +16 = gzip wrapper (zlib's convention).
    const int window_bits = coding == ContentCoding::kGzip ? 15 + 16 : 15;
    if (deflateInit2(z.get(), level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error("zlib: cannot initialise a {} stream", coding_name(coding));
    z_.reset(z.release());
}

Compressor::~Compressor() = default;
Compressor::Compressor(Compressor&&) noexcept = default;
Compressor& Compressor::operator=(Compressor&&) noexcept = default;

void Compressor::run(int flush_mode, std::string& out) {
    // zlib's documented loop: call deflate until it leaves output space unused.
    do {
        const std::size_t old = out.size();
        const std::size_t room = std::max<std::size_t>(4096, z_->avail_in / 2 + 64);
        out.resize(old + room);
        z_->next_out = reinterpret_cast<Bytef*>(out.data() + old);
        z_->avail_out = static_cast<uInt>(room);
        const int r = deflate(z_.get(), flush_mode);
        out.resize(old + room - z_->avail_out);
        if (r == Z_STREAM_ERROR) throw Error("zlib: deflate failed");
        if (r == Z_STREAM_END) return;
    } while (z_->avail_out == 0 || (flush_mode == Z_FINISH));
}

void Compressor::update(std::string_view in, std::string& out, bool flush) {
    constexpr std::size_t kMaxStep = 1u << 30;  // avail_in is 32 bits
    do {
        const std::size_t step = std::min(in.size(), kMaxStep);
        z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z_->avail_in = static_cast<uInt>(step);
        in.remove_prefix(step);
        run(flush && in.empty() ? Z_SYNC_FLUSH : Z_NO_FLUSH, out);
    } while (!in.empty());
}

void Compressor::finish(std::string& out) {
    z_->next_in = nullptr;
    z_->avail_in = 0;
    run(Z_FINISH, out);
}

void Compressor::reset() {
    if (deflateReset(z_.get()) != Z_OK) throw Error("zlib: deflateReset failed");
}

std::string compress(ContentCoding coding, std::string_view data, int level) {
    if (coding == ContentCoding::kIdentity) return std::string(data);
    Compressor c(coding, level);
    std::string out;
    out.reserve(data.size() / 2 + 64);
    c.update(data, out);
    c.finish(out);
    return out;
}

}  // namespace netius::net::http
