// A request's Upload (upload.hpp) sent by H1ClientSession and H2ClientSession to our own
// HttpServer (HTTP/1.1 and h2c, on its own thread): the content arrives whole, framed as its
// size says (Content-Length, else chunked / DATA without a length); time spent waiting for
// the source is not the server's (the receive timeout does not fire); a source that fails or
// produces another size than it announced fails the exchange with kUpload.
#include "net/http/client/upload.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "../../net_test_util.hpp"
#include "../server/server_thread.hpp"
#include "net/event_loop.hpp"
#include "net/http/client/http_client.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;

// Content given in `steps`: text, "<wait>" (kWait, then ready 300 ms later) or "<fail>".
class ScriptedUpload final : public Upload {
  public:
    ScriptedUpload(EventLoop* loop, std::vector<std::string> steps,
                   std::optional<std::uint64_t> size)
        : loop_(loop), steps_(std::move(steps)), size_(size) {}

    std::optional<std::uint64_t> size() const override { return size_; }
    void set_ready(std::function<void()> ready) override { ready_ = std::move(ready); }
    std::string error() const override { return "the script failed"; }
    bool consumed() const override { return consumed_; }

    BodyStatus read(std::string& out, std::size_t max) override {
        if (i_ == steps_.size()) return BodyStatus::kDone;
        const std::string& step = steps_[i_];
        if (step == "<fail>") return BodyStatus::kFailed;
        if (step == "<wait>") {
            if (!waiting_) {
                waiting_ = true;
                loop_->run_after(300ms, [this] {
                    waiting_ = false;
                    ++i_;
                    ready_();
                });
            }
            return BodyStatus::kWait;
        }
        const std::size_t n = std::min(max, step.size() - offset_);
        out.append(step, offset_, n);
        consumed_ = true;
        if ((offset_ += n) == step.size()) {
            offset_ = 0;
            ++i_;
        }
        return i_ == steps_.size() ? BodyStatus::kDone : BodyStatus::kMore;
    }

  private:
    EventLoop* loop_;
    std::vector<std::string> steps_;
    std::optional<std::uint64_t> size_;
    std::function<void()> ready_;
    std::size_t i_ = 0, offset_ = 0;
    bool waiting_ = false, consumed_ = false;
};

// The server's account of what it received: "<size> <length|chunked> <fnv-1a of the bytes>".
std::string account(std::string_view body, bool chunked) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : body) h = (h ^ c) * 1099511628211ull;
    return std::to_string(body.size()) + (chunked ? " chunked " : " length ") + std::to_string(h);
}

struct Outcome {
    std::string data;
    std::optional<ExchangeError> error;
};

class UploadTest : public ::testing::TestWithParam<bool> {  // HTTP/2 (h2c) or HTTP/1.1
  protected:
    UploadTest()
        : server_([](const Request& req, Response& res) {
              res.storage = account(req.body, !req.head.content_length);
              res.body = res.storage;
          }) {}

    Outcome send(std::vector<std::string> steps, std::optional<std::uint64_t> size,
                 std::chrono::milliseconds receive_timeout = 5s) {
        HttpClientOptions o;
        o.connection.receive_timeout = receive_timeout;
        o.connection.prior_knowledge = GetParam();
        HttpClient client(&loop_, o);
        ClientRequest r;
        r.method = "PUT";
        std::string error;
        EXPECT_TRUE(parse_url("http://" + server_.address().to_string() + "/", r.url, error));
        r.upload = std::make_shared<ScriptedUpload>(&loop_, std::move(steps), size);
        Outcome out;
        ExchangeCallbacks cb;
        cb.data = [&](std::string_view d) { out.data.append(d); };
        cb.done = [&](const std::optional<ExchangeError>& e) {
            out.error = e;
            loop_.quit();
        };
        client.start(r, std::move(cb));
        test::run_loop(loop_, 20s);
        return out;
    }

    EventLoop loop_;
    testing::ServerThread server_;
};

TEST_P(UploadTest, ContentOfAKnownSizeArrivesWholeWithItsLength) {
    const std::string a(700 * 1024, 'a'), b(900 * 1024, 'b');
    const Outcome out = send({a, "<wait>", b}, a.size() + b.size());
    ASSERT_FALSE(out.error) << out.error->message;
    EXPECT_EQ(out.data, account(a + b, false));
}

TEST_P(UploadTest, ContentOfAnUnknownSizeIsChunked) {
    const std::string a(300 * 1024, 'x');
    const Outcome out = send({"first ", "<wait>", a, "", "last"}, std::nullopt);
    ASSERT_FALSE(out.error) << out.error->message;
    EXPECT_EQ(out.data, account("first " + a + "last", true));
}

TEST_P(UploadTest, WaitingForTheSourceIsNotTheServersTimeout) {
    // Three waits of 300 ms each against a receive timeout of 200 ms.
    const Outcome out = send({"abc", "<wait>", "<wait>", "<wait>", "def"}, std::uint64_t{6}, 200ms);
    ASSERT_FALSE(out.error) << out.error->message;
    EXPECT_EQ(out.data, account("abcdef", false));
}

TEST_P(UploadTest, AFailingSourceFailsTheExchange) {
    const Outcome out = send({"abc", "<wait>", "<fail>"}, std::uint64_t{10});
    ASSERT_TRUE(out.error);
    EXPECT_EQ(out.error->kind, ExchangeError::Kind::kUpload);
    EXPECT_NE(out.error->message.find("the script failed"), std::string::npos)
        << out.error->message;
}

TEST_P(UploadTest, ASourceThatBreaksItsSizeFailsTheExchange) {
    for (const auto& [steps, size] : {std::pair{std::vector<std::string>{"abcde"}, 3},
                                      std::pair{std::vector<std::string>{"ab", "<wait>"}, 10}}) {
        const Outcome out = send(steps, static_cast<std::uint64_t>(size));
        ASSERT_TRUE(out.error) << "size " << size;
        EXPECT_EQ(out.error->kind, ExchangeError::Kind::kUpload) << out.error->message;
        EXPECT_NE(out.error->message.find("Content-Length"), std::string::npos)
            << out.error->message;
    }
}

INSTANTIATE_TEST_SUITE_P(Wires, UploadTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "h2c" : "http11"; });

}  // namespace
}  // namespace netius::net::http
