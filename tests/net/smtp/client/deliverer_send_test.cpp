// What `netius smtp send` needs from the Deliverer: implicit TLS to a smarthost (RFC 8314),
// STARTTLS required without certificate verification, and the transcript hook with AUTH
// credentials masked.
#include <gtest/gtest.h>

#include <algorithm>

#include "../../tls_test_util.hpp"
#include "deliver_test_util.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "net/smtp/smtp_server.hpp"
#include "net/tls_context.hpp"
#include "scripted_peer.hpp"

namespace netius::net::smtp {
namespace {

using namespace test;
using Strings = std::vector<std::string>;

class Sink final : public MessageSink {
  public:
    std::optional<Reply> check_recipient(const Envelope&, std::string_view) const override {
        return std::nullopt;
    }
    void deliver(const Envelope& e, std::string, std::string, DeliveryDone done) override {
        envelopes.push_back(e);
        done(DeliveryStatus::kStored);
    }
    std::vector<Envelope> envelopes;
};

class DelivererSend : public net::test::PkiTest {
  protected:
    void serve(std::shared_ptr<TlsContext> tls, bool implicit_tls) {
        SmtpServerOptions o;
        o.tls = std::move(tls);
        o.implicit_tls = implicit_tls;
        server_ = std::make_unique<SmtpServer>(&loop_, InetAddress::parse("127.0.0.1:0"), o, sink_,
                                               nullptr);
        server_->start();
    }
    DelivererOptions options() { return smarthost_options(server_->address().port()); }
    static std::shared_ptr<TlsContext> untrusted() { return TlsContext::self_signed_server({}); }

    EventLoop loop_;
    Sink sink_;
    std::unique_ptr<SmtpServer> server_;
};

TEST_F(DelivererSend, ImplicitTlsHandshakesBeforeTheGreeting) {
    serve(untrusted(), true);
    DelivererOptions o = options();
    o.smarthost->implicit_tls = true;
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_EQ(sink_.envelopes.size(), 1u);
    EXPECT_TRUE(sink_.envelopes[0].tls);
}

TEST_F(DelivererSend, ImplicitTlsVerifiesTheCertificateWhenAsked) {
    serve(TlsContext::server(path("server.key"), path("chain.pem"), {}), true);
    DelivererOptions o = options();
    o.smarthost->host = "localhost";
    o.smarthost->implicit_tls = true;
    o.tls_verify = true;
    o.ca_file = path("root.pem");
    Deliverer trusted(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, trusted, message({"a@example.org"}))),
              Strings{"delivered 250 2.0.0"});
    o.ca_file.clear();  // the system store does not know the test CA
    Deliverer untrusting(&loop_, o);
    DeliveryReport r = deliver(loop_, untrusting, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("TLS handshake"), std::string::npos)
        << r.recipients.at(0).diagnostic;
    EXPECT_EQ(sink_.envelopes.size(), 1u);
}

TEST_F(DelivererSend, ImplicitTlsToAPlainServerFailsAndIsNeverRetriedInClear) {
    ScriptedPeer peer(&loop_, "220 mx\r\n",
                      [](const std::string& c) { return standard_answer(c, {}); });
    DelivererOptions o = smarthost_options(peer.address().port());
    o.smarthost->implicit_tls = true;
    Deliverer d(&loop_, o);
    DeliveryReport r = deliver(loop_, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("TLS handshake with 127.0.0.1 failed"),
              std::string::npos)
        << r.recipients.at(0).diagnostic;
    EXPECT_EQ(peer.connections, 1);
    EXPECT_TRUE(peer.log.empty());  // not one command in clear
}

TEST_F(DelivererSend, RequiredStartTlsWithoutVerification) {
    serve(untrusted(), false);  // a certificate nobody trusts: accepted
    DelivererOptions o = options();
    o.require_tls = true;
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_EQ(sink_.envelopes.size(), 1u);
    EXPECT_TRUE(sink_.envelopes[0].tls);

    serve(nullptr, false);  // no STARTTLS offered: refused, nothing sent
    DelivererOptions s = options();
    s.require_tls = true;
    Deliverer strict(&loop_, s);
    DeliveryReport r = deliver(loop_, strict, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("does not offer STARTTLS, which is required"),
              std::string::npos)
        << r.recipients.at(0).diagnostic;
    EXPECT_EQ(sink_.envelopes.size(), 1u);
}

TEST_F(DelivererSend, ABrokenRequiredStartTlsIsNotRetriedInClear) {
    ScriptedPeer peer(
        &loop_, "220 mx\r\n", [](const std::string& c) { return standard_answer(c, {"STARTTLS"}); },
        "127.0.0.1:0", TlsContext::client(false));  // cannot complete a handshake
    DelivererOptions o = smarthost_options(peer.address().port());
    o.require_tls = true;
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"transient 0"});
    EXPECT_EQ(peer.connections, 1);
}

TEST_F(DelivererSend, TranscriptShowsBothSidesAndMasksCredentials) {
    ScriptedPeer peer(
        &loop_, "220 mx\r\n",
        [](const std::string& c) -> std::string {
            if (c == "AUTH LOGIN") return "334 VXNlcm5hbWU6\r\n";
            if (c == "dQ==") return "334 UGFzc3dvcmQ6\r\n";
            if (c == "cA==") return "235 2.7.0 ok\r\n";
            return standard_answer(c, {"STARTTLS", "AUTH LOGIN", "PIPELINING"});
        },
        "127.0.0.1:0", untrusted());
    DelivererOptions o = smarthost_options(peer.address().port());
    o.smarthost->user = "u";
    o.smarthost->password = "p";
    Strings lines;
    o.transcript = [&](TranscriptLine kind, std::string_view line) {
        const char* p = kind == TranscriptLine::kClient   ? "-> "
                        : kind == TranscriptLine::kServer ? "<- "
                                                          : "== ";
        lines.push_back(p + std::string(line));
    };
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org", "b@example.org"}))),
              (Strings{"delivered 250 2.0.0", "delivered 250 2.0.0"}));
    net::test::run_until(loop_, [&] { return d.active() == 0; });
    const Strings want{
        "== Connected to 127.0.0.1 [127.0.0.1] port " + std::to_string(peer.address().port()),
        "<- 220 mx",
        "-> EHLO client.test",
        "<- 250-mx",
        "<- 250-STARTTLS",
        "<- 250-AUTH LOGIN",
        "<- 250 PIPELINING",
        "-> STARTTLS"};
    ASSERT_GE(lines.size(), want.size());
    EXPECT_EQ(Strings(lines.begin(), lines.begin() + want.size()), want);
    auto has = [&](const std::string& l) {
        return std::find(lines.begin(), lines.end(), l) != lines.end();
    };
    EXPECT_TRUE(has("== TLS started"));
    EXPECT_TRUE(has("-> AUTH LOGIN"));
    EXPECT_TRUE(has("-> MAIL FROM:<alice@example.net>"));  // pipelined: one line each
    EXPECT_TRUE(has("-> RCPT TO:<b@example.org>"));
    EXPECT_TRUE(has("-> DATA"));
    EXPECT_TRUE(has("-> ."));
    EXPECT_TRUE(has("-> QUIT"));
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "-> ****"), 2);
    for (const std::string& l : lines) {
        EXPECT_EQ(l.find("dQ=="), std::string::npos) << l;  // base64 "u"
        EXPECT_EQ(l.find("cA=="), std::string::npos) << l;  // base64 "p"
    }
}

TEST_F(DelivererSend, TranscriptMasksAuthPlain) {
    ScriptedPeer peer(
        &loop_, "220 mx\r\n",
        [](const std::string& c) -> std::string {
            if (c.starts_with("AUTH PLAIN ")) return "235 2.7.0 ok\r\n";
            return standard_answer(c, {"STARTTLS", "AUTH PLAIN"});
        },
        "127.0.0.1:0", untrusted());
    DelivererOptions o = smarthost_options(peer.address().port());
    o.smarthost->user = "u";
    o.smarthost->password = "secret";
    Strings sent;
    o.transcript = [&](TranscriptLine kind, std::string_view line) {
        if (kind == TranscriptLine::kClient) sent.emplace_back(line);
    };
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    EXPECT_NE(std::find(sent.begin(), sent.end(), "AUTH PLAIN ****"), sent.end());
    ASSERT_GE(peer.log.size(), 4u);
    EXPECT_NE(peer.log[3], "AUTH PLAIN ****");  // the peer got the real credentials
    EXPECT_TRUE(peer.log[3].starts_with("AUTH PLAIN AHUAc2VjcmV0"));
}

}  // namespace
}  // namespace netius::net::smtp
