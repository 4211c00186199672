// H2ClientSession's flow control against libnghttp2's server session on loopback (the peer):
// a paused stream keeps its window shut, so the server can send it no more than
// kStreamWindow bytes, and the rest comes once it resumes.
#include "net/http/client/h2_client_session.hpp"

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <map>
#include <string>

#include "../../net_test_util.hpp"
#include "net/event_loop.hpp"
#include "net/http/client/http_client.hpp"
#include "net/tcp_server.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using test::run_until;

// Answers every request with `size` bytes ('a' + offset % 26), counting what it sent; can
// ping the client and tell when the ACK came back.
class H2Server {
  public:
    H2Server(EventLoop* loop, std::size_t size)
        : server_(loop, InetAddress::loopback(0)), size_(size) {
        server_.set_connection_callback([this](const TcpConnectionPtr& c) {
            if (c->connected()) start(c);
        });
        server_.set_message_callback([this](const TcpConnectionPtr& c, Buffer& in) {
            auto data = in.view();
            ASSERT_GE(nghttp2_session_mem_recv(session_.get(),
                                               reinterpret_cast<const std::uint8_t*>(data.data()),
                                               data.size()),
                      0);
            in.retrieve_all();
            flush(c);
        });
        server_.start();
    }
    std::string url() const { return "http://" + server_.address().to_string() + "/"; }
    std::size_t sent() const { return sent_; }
    int connections() const { return connections_; }
    bool acked() const { return acked_; }
    std::int32_t window(std::int32_t stream) {
        return nghttp2_session_get_stream_remote_window_size(session_.get(), stream);
    }
    void ping() {
        nghttp2_submit_ping(session_.get(), NGHTTP2_FLAG_NONE, nullptr);
        flush(conn_);
    }

  private:
    static H2Server& self(void* p) { return *static_cast<H2Server*>(p); }

    void start(const TcpConnectionPtr& c) {
        ++connections_;
        conn_ = c;
        nghttp2_session_callbacks* cbs = nullptr;
        nghttp2_session_callbacks_new(&cbs);
        nghttp2_session_callbacks_set_on_frame_recv_callback(
            cbs, [](nghttp2_session* s, const nghttp2_frame* f, void* p) {
                if (f->hd.type == NGHTTP2_PING && (f->hd.flags & NGHTTP2_FLAG_ACK))
                    self(p).acked_ = true;
                if (f->hd.type == NGHTTP2_HEADERS && (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
                    const std::string length = std::to_string(self(p).size_);
                    nghttp2_nv nva[] = {{(std::uint8_t*)":status", (std::uint8_t*)"200", 7, 3, 0},
                                        {(std::uint8_t*)"content-length",
                                         (std::uint8_t*)length.data(), 14, length.size(), 0}};
                    nghttp2_data_provider body{};
                    body.read_callback = &H2Server::read;
                    nghttp2_submit_response(s, f->hd.stream_id, nva, 2, &body);
                }
                return 0;
            });
        nghttp2_session* s = nullptr;
        nghttp2_session_server_new(&s, cbs, this);
        nghttp2_session_callbacks_del(cbs);
        session_.reset(s);
        nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, nullptr, 0);
        flush(c);
    }

    static ssize_t read(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length,
                        std::uint32_t* flags, nghttp2_data_source*, void* p) {
        H2Server& s = self(p);
        const std::size_t n = std::min(length, s.size_ - s.sent_);
        for (std::size_t i = 0; i < n; ++i)
            buf[i] = static_cast<std::uint8_t>('a' + (s.sent_ + i) % 26);
        s.sent_ += n;
        if (s.sent_ == s.size_) *flags |= NGHTTP2_DATA_FLAG_EOF;
        return static_cast<ssize_t>(n);
    }

    void flush(const TcpConnectionPtr& c) {
        const std::uint8_t* data = nullptr;
        for (ssize_t n; (n = nghttp2_session_mem_send(session_.get(), &data)) > 0;)
            c->send(std::string_view(reinterpret_cast<const char*>(data), n));
    }

    struct Free {
        void operator()(nghttp2_session* s) const { nghttp2_session_del(s); }
    };
    TcpServer server_;
    std::size_t size_;
    std::unique_ptr<nghttp2_session, Free> session_;
    TcpConnectionPtr conn_;
    std::size_t sent_ = 0;
    int connections_ = 0;
    bool acked_ = false;
};

TEST(H2ClientSession, APausedStreamKeepsItsWindowShutUntilResumed) {
    constexpr std::size_t kSize = 3 * H2ClientSession::kStreamWindow;
    EventLoop loop;
    H2Server server(&loop, kSize);
    HttpClientOptions o;
    o.connection.prior_knowledge = true;
    o.connection.receive_timeout = 5s;
    HttpClient client(&loop, o);
    ClientRequest request;
    std::string error;
    ASSERT_TRUE(parse_url(server.url(), request.url, error));
    std::string data;
    std::optional<std::optional<ExchangeError>> done;
    std::uint64_t id = 0;
    ExchangeCallbacks callbacks;
    callbacks.data = [&](std::string_view d) {
        if (data.empty()) client.pause(id);  // the sink is full
        data.append(d);
    };
    callbacks.done = [&](const std::optional<ExchangeError>& e) { done = e; };
    id = client.start(request, callbacks);

    // The server fills the stream's window and must stop there: nothing was consumed.
    run_until(loop, [&] { return data.size() == H2ClientSession::kStreamWindow; });
    ASSERT_EQ(data.size(), H2ClientSession::kStreamWindow);
    // A PING round trip: any WINDOW_UPDATE the client sent would have arrived before its ACK.
    server.ping();
    run_until(loop, [&] { return server.acked(); });
    ASSERT_TRUE(server.acked());
    EXPECT_EQ(server.sent(), H2ClientSession::kStreamWindow);
    EXPECT_EQ(server.window(1), 0);
    EXPECT_FALSE(done);

    client.resume(id);  // the sink took it: the window opens and the rest comes
    run_until(loop, [&] { return done.has_value(); });
    ASSERT_TRUE(done);
    EXPECT_FALSE(*done) << (*done)->message;
    ASSERT_EQ(data.size(), kSize);
    for (std::size_t i = 0; i < kSize; i += 4099) ASSERT_EQ(data[i], 'a' + i % 26) << i;
    EXPECT_EQ(server.connections(), 1);
}

}  // namespace
}  // namespace netius::net::http
