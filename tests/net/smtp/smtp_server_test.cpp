// SmtpServer + SmtpSession over real loopback sockets with a scripted MessageSink: the server
// runs its loop on a thread, the test is a blocking client. Every wait is bounded.
#include "net/smtp/smtp_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "../net_test_util.hpp"
#include "net/event_loop.hpp"

namespace netius::net::smtp {
namespace {

using namespace std::chrono_literals;

// Answers each delivery later, from another thread, with the next scripted status.
class ScriptedSink final : public MessageSink {
  public:
    ScriptedSink(EventLoop* loop, std::vector<DeliveryStatus> script)
        : loop_(loop), script_(std::move(script)) {}
    ~ScriptedSink() override {
        for (auto& t : threads_) t.join();
    }
    std::optional<Reply> check_recipient(const Envelope&, std::string_view address) const override {
        if (address.starts_with("nobody@")) return replies::kDomainRefused;
        return std::nullopt;
    }
    void deliver(const Envelope& e, std::string trace, std::string content,
                 DeliveryDone done) override {
        const DeliveryStatus status = script_.at(count_++);
        {
            std::lock_guard lock(mutex_);
            stored_.push_back(e.sender + "|" + trace.substr(0, 15) + "|" + content);
        }
        threads_.emplace_back([this, done, status] {
            std::this_thread::sleep_for(50ms);  // the session must wait, reading nothing
            loop_->queue_in_loop([done, status] { done(status); });
        });
    }
    std::vector<std::string> stored() {
        std::lock_guard lock(mutex_);
        return stored_;
    }

  private:
    EventLoop* loop_;
    std::vector<DeliveryStatus> script_;
    std::size_t count_ = 0;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::vector<std::string> stored_;
};

class ServerThread {
  public:
    ServerThread(std::vector<DeliveryStatus> script, SmtpServerOptions options = {}) {
        std::promise<InetAddress> ready;
        auto address = ready.get_future();
        thread_ = std::thread([&, script, options] {
            EventLoop loop;
            ScriptedSink sink(&loop, script);
            {
                SmtpServer server(&loop, InetAddress::parse("127.0.0.1:0"), options, sink, nullptr);
                server.start();
                loop_ = &loop;
                sink_ = &sink;
                ready.set_value(server.address());
                test::run_loop(loop, 30s);
            }
            stored_ = sink.stored();
        });
        address_ = address.get();
    }
    ~ServerThread() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        loop_->quit();
        thread_.join();
    }
    const InetAddress& address() const { return address_; }
    std::vector<std::string> stored_;

  private:
    std::thread thread_;
    EventLoop* loop_ = nullptr;
    ScriptedSink* sink_ = nullptr;
    InetAddress address_;
};

// Reads until `count` complete replies (multi-line ones count once) or the stream ends.
std::vector<std::string> replies(int fd, std::size_t count) {
    std::vector<std::string> out;
    std::string buf;
    char chunk[4096];
    bool continued = false;
    while (out.size() < count || continued) {
        std::size_t eol;
        while ((eol = buf.find("\r\n")) != std::string::npos && (out.size() < count || continued)) {
            std::string line = buf.substr(0, eol + 2);
            buf.erase(0, eol + 2);
            if (continued)
                out.back() += line;
            else
                out.push_back(line);
            continued = line.size() > 3 && line[3] == '-';
        }
        if (out.size() >= count && !continued) break;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;  // a signal meant for another test's thread
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    return out;
}

std::vector<std::string> codes(const std::vector<std::string>& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(r.substr(0, 9));
    return out;
}

TEST(SmtpServer, PipelinedCommandsWaitForTheStoreAndRepliesKeepTheirOrder) {
    ServerThread server(
        {DeliveryStatus::kStored, DeliveryStatus::kFailed, DeliveryStatus::kStorageFull});
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_EQ(replies(fd.get(), 1).at(0).substr(0, 4), "220 ");
    std::string batch = "EHLO c\r\n";
    for (const char* body : {"one", "two", "three"})
        batch += std::string("MAIL FROM:<a@b>\r\nRCPT TO:<nobody@x>\r\nRCPT TO:<u@x>\r\nDATA\r\n") +
                 body + "\r\n.\r\n";
    batch += "NOOP\r\nQUIT\r\n";
    ASSERT_TRUE(test::write_all(fd.get(), batch));  // one write: everything pipelined
    auto got = codes(replies(fd.get(), 18));
    const std::vector<std::string> want = {
        "250-local",                                                      // EHLO
        "250 2.1.0", "550 5.1.1", "250 2.1.5", "354 End d", "250 2.0.0",  // stored
        "250 2.1.0", "550 5.1.1", "250 2.1.5", "354 End d", "451 4.3.0",  // failed
        "250 2.1.0", "550 5.1.1", "250 2.1.5", "354 End d", "452 4.3.1",  // storage full
        "250 2.0.0", "221 2.0.0"};
    EXPECT_EQ(got, want);
    bool eof = false;
    test::read_to_eof(fd.get(), &eof);
    EXPECT_TRUE(eof);
    server.stop();
    ASSERT_EQ(server.stored_.size(), 3u);
    EXPECT_EQ(server.stored_[0], "a@b|Received: from |one\r\n");
    EXPECT_EQ(server.stored_[2], "a@b|Received: from |three\r\n");
}

TEST(SmtpServer, ErrorsCloseTheSessionWith421) {
    SmtpServerOptions o;
    o.limits.max_errors = 2;
    ServerThread server({}, o);
    UniqueFd fd = test::connect_client(server.address());
    replies(fd.get(), 1);
    ASSERT_TRUE(test::write_all(fd.get(), "FOO\r\nDATA\r\nNOOP\r\n"));
    EXPECT_EQ(codes(replies(fd.get(), 4)),
              (std::vector<std::string>{"500 5.5.2", "503 5.5.1", "421 4.7.0"}));
}

}  // namespace
}  // namespace netius::net::smtp
