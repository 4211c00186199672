#include "net/http/client/http_client.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "../../fake_dns.hpp"
#include "../../net_test_util.hpp"
#include "net/event_loop.hpp"
#include "net/http/client/fetch.hpp"
#include "net/http/encoding.hpp"
#include "net/tcp_server.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using test::run_loop;
using test::run_until;

// A server answering each request head (bodies are not expected) with what `script` returns
// for (request number, connection number), both from 1. An empty answer sends nothing; "CLOSE"
// closes the connection without answering; a reply ending in "<close>" is sent then closed.
class ScriptedServer {
  public:
    using Script = std::function<std::string(int request, int connection, std::string_view head)>;

    ScriptedServer(EventLoop* loop, Script script, InetAddress at = InetAddress::loopback(0))
        : server_(loop, at), script_(std::move(script)) {
        server_.set_connection_callback([this](const TcpConnectionPtr& c) {
            if (c->connected()) c->set_context(std::make_shared<int>(++connections_));
        });
        server_.set_message_callback([this](const TcpConnectionPtr& c, Buffer& in) {
            for (std::size_t end; (end = in.view().find("\r\n\r\n")) != std::string_view::npos;) {
                std::string head = in.retrieve_as_string(end + 4);
                std::string reply = script_(++requests_, *c->context<int>(), head);
                if (reply == "CLOSE") {
                    c->force_close();
                    return;
                }
                const bool close = reply.ends_with("<close>");
                if (close) reply.resize(reply.size() - 7);
                c->send(reply);
                if (close) c->shutdown();
            }
        });
        server_.start();
    }
    std::string url(const std::string& path = "/") const {
        return "http://" + server_.address().to_string() + path;
    }
    int connections() const { return connections_; }
    int requests() const { return requests_; }

  private:
    TcpServer server_;
    Script script_;
    int connections_ = 0;
    int requests_ = 0;
};

std::string ok(std::string_view body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           std::string(body);
}

struct Fetched {
    FetchResult result;
    std::string data;
    std::vector<int> heads;  // every status seen
};

class HttpClientTest : public ::testing::Test {
  protected:
    HttpClientOptions options() {
        HttpClientOptions o;
        o.connection.receive_timeout = 2s;
        o.connection.connect_timeout = 2s;
        return o;
    }
    // Fetches every URL concurrently; returns their outcomes in order.
    std::vector<Fetched> fetch(const std::vector<std::string>& urls, FetchOptions fo = {},
                               HttpClientOptions co = {}, bool set_options = true) {
        HttpClient client(&loop_, set_options ? options() : co);
        std::vector<Fetched> out(urls.size());
        std::vector<std::shared_ptr<Fetch>> fetches;
        std::size_t left = urls.size();
        for (std::size_t i = 0; i < urls.size(); ++i) {
            ClientRequest r;
            std::string error;
            EXPECT_TRUE(parse_url(urls[i], r.url, error));
            r.accept_encoding = "gzip, deflate";
            FetchCallbacks cb;
            cb.response = [&out, i](std::string_view, const ClientResponseHead& h) {
                out[i].heads.push_back(h.status);
            };
            cb.data = [&out, i](std::string_view d) { out[i].data.append(d); };
            cb.done = [&, i](const FetchResult& res) {
                out[i].result = res;
                if (--left == 0) loop_.quit();
            };
            fetches.push_back(Fetch::start(client, r, fo, cb));
        }
        run_loop(loop_, 20s);
        fetches.clear();
        return out;
    }

    EventLoop loop_;
};

TEST_F(HttpClientTest, KeepAliveReusesOneConnectionPerOrigin) {
    ScriptedServer server(&loop_,
                          [](int n, int, std::string_view) { return ok(std::to_string(n)); });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 1;
    auto got = fetch({server.url("/a"), server.url("/b"), server.url("/c")}, {}, o, false);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(got[i].result.ok()) << got[i].result.message;
        EXPECT_EQ(got[i].data, std::to_string(i + 1));  // FIFO on the one connection
    }
    EXPECT_EQ(server.connections(), 1);
}

// A sink that paused a response and saw it end before resuming (a proxy whose client is
// slow): the connection's next exchange still reads. It used to stay paused for good.
TEST_F(HttpClientTest, APauseEndsWithItsExchange) {
    ScriptedServer server(&loop_,
                          [](int n, int, std::string_view) { return ok(std::to_string(n)); });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 1;
    HttpClient client(&loop_, o);
    std::vector<std::string> got;
    std::function<void(int)> next = [&](int left) {
        ClientRequest r;
        std::string error;
        ASSERT_TRUE(parse_url(server.url(), r.url, error));
        auto id = std::make_shared<std::uint64_t>(0);
        ExchangeCallbacks cb;
        cb.data = [&, id](std::string_view d) {
            got.emplace_back(d);
            client.pause(*id);  // never resumed: the exchange ends first
        };
        cb.done = [&, left](const std::optional<ExchangeError>& e) {
            EXPECT_FALSE(e) << e->message;
            if (left > 1)
                next(left - 1);
            else
                loop_.quit();
        };
        *id = client.start(r, std::move(cb));
    };
    next(3);
    run_loop(loop_, 10s);
    EXPECT_EQ(got, (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpClientTest, ConcurrencyIsBoundedPerOrigin) {
    ScriptedServer server(&loop_, [](int, int, std::string_view) { return ok("x"); });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 3;
    std::vector<std::string> urls(12, server.url());
    auto got = fetch(urls, {}, o, false);
    for (const auto& f : got) EXPECT_EQ(f.data, "x");
    EXPECT_LE(server.connections(), 3);
    EXPECT_EQ(server.requests(), 12);
}

TEST_F(HttpClientTest, FramingsAndInterimResponses) {
    ScriptedServer server(&loop_, [](int, int, std::string_view head) -> std::string {
        if (head.starts_with("GET /chunked"))
            return "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
        if (head.starts_with("GET /close")) return "HTTP/1.1 200 OK\r\n\r\nuntil the end<close>";
        if (head.starts_with("GET /empty")) return "HTTP/1.1 204 No Content\r\n\r\n";
        return ok("plain");
    });
    auto got = fetch(
        {server.url("/chunked"), server.url("/close"), server.url("/empty"), server.url("/len")});
    EXPECT_EQ(got[0].data, "hello world");
    EXPECT_EQ(got[0].heads, (std::vector<int>{100, 103, 200}));
    EXPECT_EQ(got[1].data, "until the end");
    EXPECT_EQ(got[2].data, "");
    EXPECT_EQ(got[2].result.code, 204);
    EXPECT_EQ(got[3].data, "plain");
    for (const auto& f : got) EXPECT_TRUE(f.result.ok()) << f.result.message;
}

TEST_F(HttpClientTest, StaleReusedConnectionIsRetriedOnce) {
    // The second request finds its kept connection closed without an answer (the server timed
    // it out meanwhile): it is sent again on a new connection.
    ScriptedServer server(&loop_, [](int n, int, std::string_view) -> std::string {
        return n == 2 ? "CLOSE" : ok("fine");
    });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 1;
    auto got = fetch({server.url("/1"), server.url("/2")}, {}, o, false);
    EXPECT_TRUE(got[1].result.ok()) << got[1].result.message;
    EXPECT_EQ(got[1].data, "fine");
    EXPECT_EQ(server.connections(), 2);
}

TEST_F(HttpClientTest, FailuresAreClassified) {
    ScriptedServer server(&loop_, [](int, int, std::string_view head) -> std::string {
        if (head.starts_with("GET /truncated"))
            return "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf<close>";
        if (head.starts_with("GET /silent")) return "";
        if (head.starts_with("GET /garbage")) return "SSH-2.0-OpenSSH\r\n\r\n";
        return "CLOSE";
    });
    HttpClientOptions o = options();
    o.connection.receive_timeout = 200ms;
    auto got = fetch({server.url("/truncated"), server.url("/silent"), server.url("/garbage"),
                      server.url("/empty")},
                     {}, o, false);
    EXPECT_EQ(got[0].result.error, FetchResult::Error::kTruncated);
    EXPECT_EQ(got[0].result.message, "the connection closed after 4 of 10 content bytes");
    EXPECT_EQ(got[0].data, "half");
    EXPECT_EQ(got[1].result.error, FetchResult::Error::kTimeout);
    EXPECT_TRUE(got[1].result.message.starts_with("Timeout on receive")) << got[1].result.message;
    EXPECT_EQ(got[2].result.error, FetchResult::Error::kProtocol);
    EXPECT_EQ(got[3].result.error, FetchResult::Error::kClosed);
    EXPECT_EQ(got[3].result.message, "the connection closed before the response");
}

TEST_F(HttpClientTest, RedirectsAndTheirLimit) {
    ScriptedServer server(&loop_, [](int, int, std::string_view head) -> std::string {
        if (head.starts_with("GET /loop"))
            return "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 3\r\n\r\nabc";
        if (head.starts_with("GET /x/a"))
            return "HTTP/1.1 301 Moved\r\nLocation: b\r\nContent-Length: 0\r\n\r\n";
        return ok(head.substr(0, head.find("\r\n")));
    });
    FetchOptions fo;
    fo.max_redirects = 3;
    auto got = fetch({server.url("/x/a"), server.url("/loop")}, fo);
    EXPECT_TRUE(got[0].result.ok());
    EXPECT_EQ(got[0].data, "GET /x/b HTTP/1.1");  // relative Location, content of the last only
    EXPECT_EQ(got[0].result.redirects, 1);
    EXPECT_EQ(got[0].result.url, server.url("/x/b"));
    EXPECT_EQ(got[1].result.error, FetchResult::Error::kRedirects);
    EXPECT_EQ(got[1].result.message, "too many redirects (more than 3)");
    fo.follow_redirects = false;
    got = fetch({server.url("/x/a")}, fo);
    EXPECT_EQ(got[0].result.code, 301);
}

TEST_F(HttpClientTest, DecodesGzipAndRetriesServerErrors) {
    const std::string gz = compress(ContentCoding::kGzip, "decoded text");
    ScriptedServer server(&loop_, [gz](int n, int, std::string_view head) -> std::string {
        if (head.starts_with("GET /flaky") && n < 3)
            return "HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 4\r\n\r\nbusy";
        return "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
               std::to_string(gz.size()) + "\r\n\r\n" + gz;
    });
    FetchOptions fo;
    fo.retries = 3;
    auto got = fetch({server.url("/flaky")}, fo);
    EXPECT_TRUE(got[0].result.ok()) << got[0].result.message;
    EXPECT_EQ(got[0].data, "decoded text");  // the 503 bodies were not delivered
    EXPECT_EQ(got[0].result.retries, 2);
    EXPECT_EQ(got[0].result.received, gz.size());
}

TEST_F(HttpClientTest, UnknownContentCodingIsAClearError) {
    ScriptedServer server(&loop_, [](int, int, std::string_view) {
        return std::string(
            "HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\nContent-Length: 1\r\n\r\nx");
    });
    auto got = fetch({server.url()});
    EXPECT_EQ(got[0].result.error, FetchResult::Error::kDecode);
    EXPECT_EQ(got[0].result.message, "unsupported Content-Encoding 'zstd'");
}

TEST_F(HttpClientTest, DnsFailureFailsEveryWaitingRequest) {
    HttpClientOptions o = options();
    o.dns.nameservers = {"127.0.0.1:1"};  // nothing answers there: refused at once
    o.dns.timeout = 100ms;
    o.dns.tries = 1;
    auto got = fetch({"http://nowhere.invalid/a", "http://nowhere.invalid/b"}, {}, o, false);
    for (const auto& f : got) {
        EXPECT_FALSE(f.result.ok());
        EXPECT_NE(f.result.message.find("nowhere.invalid"), std::string::npos) << f.result.message;
    }
}

TEST_F(HttpClientTest, AddressesAreLookedUpAgainOnceTheirTtlRunsOut) {
    auto closing = [](std::string body) {
        return [body](int, int, std::string_view) {
            return "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n" + body;
        };
    };
    ScriptedServer one(&loop_, closing("one"));
    const std::uint16_t port = InetAddress::parse(one.url().substr(7, one.url().size() - 8)).port();
    ScriptedServer two(&loop_, closing("two"), InetAddress::parse("127.0.0.2", port));
    test::FakeDns dns({{"up.test", {test::FakeDns::with_ttl(test::FakeDns::a("127.0.0.1"), 1)}}});
    HttpClientOptions o = options();
    o.dns.nameservers = {dns.address()};
    o.family = AF_INET;
    HttpClient client(&loop_, o);
    auto get = [&] {
        ClientRequest r;
        std::string error;
        EXPECT_TRUE(parse_url("http://up.test:" + std::to_string(port) + "/", r.url, error));
        std::string body;
        ExchangeCallbacks cb;
        cb.data = [&](std::string_view d) { body.append(d); };
        cb.done = [&](const std::optional<ExchangeError>& e) {
            EXPECT_FALSE(e) << e->message;
            loop_.quit();
        };
        client.start(r, std::move(cb));
        run_loop(loop_, 10s);
        return body;
    };
    EXPECT_EQ(get(), "one");
    dns.set("up.test", {test::FakeDns::with_ttl(test::FakeDns::a("127.0.0.2"), 1)});
    EXPECT_EQ(get(), "one");  // the answer is still fresh
    loop_.run_after(1200ms, [this] { loop_.quit(); });
    run_loop(loop_, 5s);
    EXPECT_EQ(get(), "one");  // expired: looked up again meanwhile, without waiting for it
    // The new answer comes from FakeDns' thread, which a loaded machine may not run for a
    // while: keep asking, letting the loop idle a little between requests, for up to 5 s.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (two.requests() == 0 && std::chrono::steady_clock::now() < deadline) {
        const std::string body = get();
        EXPECT_TRUE(body == "one" || body == "two") << body;
        loop_.run_after(10ms, [this] { loop_.quit(); });
        run_loop(loop_, 1s);
    }
    EXPECT_GE(two.requests(), 1);  // new connections go to the new address
}

// Starts a GET of `url` on `client`; its outcome goes into `log` as "<tag> ok <body>" or
// "<tag> <kind number>", and the loop quits once `log` has `want` lines.
void get(HttpClient& client, const std::string& url, const std::string& tag,
         std::vector<std::string>& log, std::size_t want, EventLoop& loop) {
    ClientRequest r;
    std::string error;
    ASSERT_TRUE(parse_url(url, r.url, error));
    auto body = std::make_shared<std::string>();
    ExchangeCallbacks cb;
    cb.data = [body](std::string_view d) { body->append(d); };
    cb.done = [&log, &loop, tag, body, want](const std::optional<ExchangeError>& e) {
        log.push_back(tag + (e ? " " + std::to_string(static_cast<int>(e->kind)) : " ok " + *body));
        if (log.size() == want) loop.quit();
    };
    client.start(r, std::move(cb));
}

const std::string kBusy = std::to_string(static_cast<int>(ExchangeError::Kind::kBusy));
const std::string kTimedOut = std::to_string(static_cast<int>(ExchangeError::Kind::kTimeout));

TEST_F(HttpClientTest, IdleConnectionsKeptAreBounded) {
    ScriptedServer server(&loop_, [](int, int, std::string_view) { return ok("x"); });
    for (std::size_t keep : {std::size_t{1}, std::size_t{0}}) {
        HttpClientOptions o = options();
        o.max_connections_per_origin = 4;
        o.max_idle_per_origin = keep;
        HttpClient client(&loop_, o);
        std::vector<std::string> log;
        for (int i = 0; i < 4; ++i) get(client, server.url(), "r", log, 4, loop_);
        const int before = server.connections();
        run_loop(loop_, 10s);
        EXPECT_EQ(log, std::vector<std::string>(4, "r ok x"));
        EXPECT_EQ(server.connections() - before, 4);  // four at once, then back to `keep`
        EXPECT_EQ(client.connection_count(), keep);
        get(client, server.url(), "again", log, 5, loop_);
        run_loop(loop_, 10s);
        EXPECT_EQ(server.connections() - before, keep ? 4 : 5);  // the kept one is reused
    }
}

TEST_F(HttpClientTest, TheWaitQueueIsBounded) {
    // The first request is never answered: it holds the one connection until its receive
    // timeout; one more request may wait for it, the third is refused at once.
    ScriptedServer server(&loop_, [](int n, int, std::string_view) -> std::string {
        return n == 1 ? "" : ok(std::to_string(n));
    });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 1;
    o.max_waiting_per_origin = 1;
    o.connection.receive_timeout = 500ms;
    HttpClient client(&loop_, o);
    std::vector<std::string> log;
    get(client, server.url(), "1", log, 3, loop_);
    run_until(loop_, [&] { return server.requests() == 1; });  // sent: now on the connection
    get(client, server.url(), "2", log, 3, loop_);
    get(client, server.url(), "3", log, 3, loop_);
    run_loop(loop_, 10s);
    EXPECT_EQ(log, (std::vector<std::string>{"3 " + kBusy, "1 " + kTimedOut, "2 ok 2"}));
}

TEST_F(HttpClientTest, AWaitAtTheCapIsBoundedInTime) {
    ScriptedServer server(&loop_, [](int n, int, std::string_view) -> std::string {
        return n == 1 ? "" : ok(std::to_string(n));
    });
    HttpClientOptions o = options();
    o.max_connections_per_origin = 1;
    o.max_wait = 100ms;
    o.connection.receive_timeout = 1s;  // well after the wait has ended
    HttpClient client(&loop_, o);
    std::vector<std::string> log;
    get(client, server.url(), "1", log, 2, loop_);
    get(client, server.url(), "2", log, 2, loop_);
    run_loop(loop_, 10s);
    EXPECT_EQ(log, (std::vector<std::string>{"2 " + kBusy, "1 " + kTimedOut}));
    // Requests that get a connection in time are not touched by the wait's timer.
    o.connection.receive_timeout = 2s;
    o.max_wait = 1s;
    HttpClient fine(&loop_, o);
    ScriptedServer quick(&loop_,
                         [](int n, int, std::string_view) { return ok(std::to_string(n)); });
    log.clear();
    for (int i = 0; i < 5; ++i) get(fine, quick.url(), "q", log, 5, loop_);
    run_loop(loop_, 10s);
    EXPECT_EQ(log, (std::vector<std::string>{"q ok 1", "q ok 2", "q ok 3", "q ok 4", "q ok 5"}));
}

}  // namespace
}  // namespace netius::net::http
