#include "net/http/content_decoder.hpp"

#include <zlib.h>
#ifdef NETIUS_HAVE_BROTLI
#include <brotli/decode.h>
#endif

#include "net/http/char_class.hpp"
#include "net/http/request_head.hpp"
#include "util/error.hpp"

namespace netius::net::http {

class ContentDecoder::Stage {
  public:
    virtual ~Stage() = default;
    /// Decodes `in` (all of it), emitting output pieces; false with `error` on bad data.
    virtual bool update(std::string_view in, const ContentDecoder::Sink& emit,
                        std::string& error) = 0;
    /// Whether the coded stream ended properly (or never started: empty content).
    virtual bool complete() const = 0;
    virtual const char* name() const = 0;
};

namespace {

// gzip and deflate through zlib's inflate.
class ZlibStage final : public ContentDecoder::Stage {
  public:
    explicit ZlibStage(bool gzip) : gzip_(gzip) {}
    ~ZlibStage() override {
        if (initialised_) inflateEnd(&z_);
    }

    bool update(std::string_view in, const ContentDecoder::Sink& emit,
                std::string& error) override {
        if (!initialised_) init(in);
        if (!initialised_) return true;  // deflate: waiting for the 2 header bytes
        if (!sniff_.empty()) {           // the bytes held back to tell zlib from raw deflate
            const bool ok = inflate_all(sniff_, emit, error);
            sniff_.clear();
            if (!ok) return false;
        }
        return inflate_all(in, emit, error);
    }
    bool complete() const override { return ended_ || (!initialised_ && sniff_.empty()); }
    const char* name() const override { return gzip_ ? "gzip" : "deflate"; }

  private:
    // Sets up inflate; for deflate, once the first two bytes tell which format it is.
    void init(std::string_view& in) {
        int window = 15 + 16;  // gzip only (RFC 1952)
        if (!gzip_) {
            // RFC 1950 §2.2: CM = 8 and the header, as a 16-bit number, is a multiple of 31.
            sniff_.append(in);
            in = {};
            if (sniff_.size() < 2) return;
            const auto b0 = static_cast<unsigned char>(sniff_[0]);
            const auto b1 = static_cast<unsigned char>(sniff_[1]);
            window = ((b0 & 0x0f) == 8 && (b0 * 256 + b1) % 31 == 0) ? 15 : -15;
        }
        if (inflateInit2(&z_, window) != Z_OK) throw Error("zlib: cannot allocate a decoder");
        initialised_ = true;
    }

    bool inflate_all(std::string_view in, const ContentDecoder::Sink& emit, std::string& error) {
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z_.avail_in = static_cast<uInt>(in.size());
        char out[ContentDecoder::kChunk];
        while (z_.avail_in > 0 && !ended_) {
            z_.next_out = reinterpret_cast<Bytef*>(out);
            z_.avail_out = sizeof out;
            const int ret = inflate(&z_, Z_NO_FLUSH);
            const std::size_t produced = sizeof out - z_.avail_out;
            if (produced) emit(std::string_view(out, produced));
            if (ret == Z_STREAM_END) {
                // Another gzip member may follow (RFC 1952 §2.2); anything else is ignored.
                if (gzip_ && z_.avail_in > 0 && *z_.next_in == 0x1f) {
                    inflateReset(&z_);
                    continue;
                }
                ended_ = true;
            } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
                error = fmt::format("corrupt {} content: {}", name(), z_.msg ? z_.msg : "error");
                return false;
            } else if (ret == Z_BUF_ERROR && produced == 0) {
                break;  // no progress possible: needs more input
            }
        }
        // Output zlib still holds once the input is used up.
        while (!ended_ && z_.avail_in == 0) {
            z_.next_out = reinterpret_cast<Bytef*>(out);
            z_.avail_out = sizeof out;
            const int ret = inflate(&z_, Z_NO_FLUSH);
            const std::size_t produced = sizeof out - z_.avail_out;
            if (produced) emit(std::string_view(out, produced));
            if (ret == Z_STREAM_END) ended_ = true;
            if (produced < sizeof out || ret != Z_OK) break;
        }
        return true;
    }

    bool gzip_;
    bool initialised_ = false;
    bool ended_ = false;
    std::string sniff_;
    z_stream z_{};
};

#ifdef NETIUS_HAVE_BROTLI
class BrotliStage final : public ContentDecoder::Stage {
  public:
    BrotliStage() : state_(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) {
        if (!state_) throw Error("brotli: cannot allocate a decoder");
    }
    ~BrotliStage() override { BrotliDecoderDestroyInstance(state_); }

    bool update(std::string_view in, const ContentDecoder::Sink& emit,
                std::string& error) override {
        auto next_in = reinterpret_cast<const std::uint8_t*>(in.data());
        std::size_t avail_in = in.size();
        std::uint8_t out[ContentDecoder::kChunk];
        for (;;) {
            std::uint8_t* next_out = out;
            std::size_t avail_out = sizeof out;
            const BrotliDecoderResult r = BrotliDecoderDecompressStream(
                state_, &avail_in, &next_in, &avail_out, &next_out, nullptr);
            const std::size_t produced = sizeof out - avail_out;
            if (produced) emit(std::string_view(reinterpret_cast<const char*>(out), produced));
            seen_ = true;
            if (r == BROTLI_DECODER_RESULT_ERROR) {
                error = fmt::format("corrupt br content: {}",
                                    BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state_)));
                return false;
            }
            if (r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) return true;
        }
    }
    bool complete() const override {
        return !seen_ || BrotliDecoderIsFinished(state_) == BROTLI_TRUE;
    }
    const char* name() const override { return "br"; }

  private:
    BrotliDecoderState* state_;
    bool seen_ = false;
};
#endif

}  // namespace

ContentDecoder::ContentDecoder() = default;
ContentDecoder::~ContentDecoder() = default;
ContentDecoder::ContentDecoder(ContentDecoder&&) noexcept = default;
ContentDecoder& ContentDecoder::operator=(ContentDecoder&&) noexcept = default;

std::string_view ContentDecoder::accept_encoding() noexcept {
#ifdef NETIUS_HAVE_BROTLI
    return "gzip, deflate, br";
#else
    return "gzip, deflate";
#endif
}

bool ContentDecoder::start(std::span<const std::string_view> codings) {
    stages_.clear();
    error_.clear();
    try {
        return make_stages(codings);
    } catch (const Error& e) {  // zlib or brotli could not allocate their state
        error_ = e.what();
        return false;
    }
}

bool ContentDecoder::make_stages(std::span<const std::string_view> codings) {
    std::vector<std::unique_ptr<Stage>> listed;
    bool ok = true;
    for (std::string_view line : codings)
        for_each_list_element(line, [&](std::string_view c) {
            using detail::iequals;
            if (iequals(c, "identity")) return;
            if (iequals(c, "gzip") || iequals(c, "x-gzip")) {  // RFC 9110 §8.4.1.3
                listed.push_back(std::make_unique<ZlibStage>(true));
            } else if (iequals(c, "deflate")) {
                listed.push_back(std::make_unique<ZlibStage>(false));
            } else if (iequals(c, "br")) {
#ifdef NETIUS_HAVE_BROTLI
                listed.push_back(std::make_unique<BrotliStage>());
#else
                if (ok) error_ = "br content is not supported by this build (no libbrotli)";
                ok = false;
#endif
            } else {
                if (ok) error_ = fmt::format("unsupported Content-Encoding '{}'", c);
                ok = false;
            }
        });
    if (!ok) return false;
    // Codings are listed in the order they were applied: undo the last one first.
    stages_.assign(std::make_move_iterator(listed.rbegin()),
                   std::make_move_iterator(listed.rend()));
    return true;
}

bool ContentDecoder::run(std::size_t index, std::string_view in, const Sink& sink) {
    if (index == stages_.size()) {
        sink(in);
        return true;
    }
    bool ok = true;
    const bool stage_ok = stages_[index]->update(
        in, [&](std::string_view piece) { ok = ok && run(index + 1, piece, sink); }, error_);
    return stage_ok && ok;
}

bool ContentDecoder::update(std::string_view in, const Sink& sink) {
    if (in.empty()) return true;
    if (!error_.empty()) return false;
    try {
        return run(0, in, sink);
    } catch (const Error& e) {  // inflate could not allocate its state
        error_ = e.what();
        return false;
    }
}

bool ContentDecoder::finish() {
    if (!error_.empty()) return false;
    for (const auto& stage : stages_)
        if (!stage->complete()) {
            error_ = fmt::format("truncated {} content", stage->name());
            return false;
        }
    return true;
}

}  // namespace netius::net::http
