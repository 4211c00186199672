// Deliverer with STARTTLS and AUTH, against the project's own SmtpServer (real STARTTLS and
// SASL on the same loop) and scripted peers: opportunistic TLS, certificate verification with
// a test CA, AUTH PLAIN and LOGIN, and no password ever sent in clear.
#include <gtest/gtest.h>

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

class CollectingSink final : public MessageSink {
  public:
    std::optional<Reply> check_recipient(const Envelope&, std::string_view) const override {
        return std::nullopt;
    }
    void deliver(const Envelope& e, std::string, std::string content, DeliveryDone done) override {
        envelopes.push_back(e);
        contents.push_back(std::move(content));
        done(DeliveryStatus::kStored);
    }
    std::vector<Envelope> envelopes;
    std::vector<std::string> contents;
};

class FixedPassword final : public Authenticator {
  public:
    void verify(std::string user, std::string password, AuthDone done) override {
        done(user == "u" && password == "p" ? AuthStatus::kOk : AuthStatus::kFailed);
    }
};

class DelivererTls : public net::test::PkiTest {
  protected:
    /// An SmtpServer on 127.0.0.1 with `tls` (null: no STARTTLS) and, with `auth`, AUTH.
    SmtpServer& serve(std::shared_ptr<TlsContext> tls, bool auth = false) {
        SmtpServerOptions o;
        o.tls = std::move(tls);
        o.require_auth = auth;
        o.limits.auth_failure_delay = 1ms;
        server_ = std::make_unique<SmtpServer>(&loop_, InetAddress::parse("127.0.0.1:0"), o, sink_,
                                               auth ? &password_ : nullptr);
        server_->start();
        return *server_;
    }
    DelivererOptions options(const std::string& host = "127.0.0.1") {
        DelivererOptions o = smarthost_options(server_->address().port());
        o.smarthost->host = host;
        return o;
    }
    static std::shared_ptr<TlsContext> untrusted() { return TlsContext::self_signed_server({}); }

    EventLoop loop_;
    CollectingSink sink_;
    FixedPassword password_;
    std::unique_ptr<SmtpServer> server_;
};

TEST_F(DelivererTls, UsesStartTlsWhenOfferedWithoutCheckingTheCertificate) {
    serve(untrusted());
    Deliverer d(&loop_, options());
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_EQ(sink_.envelopes.size(), 1u);
    EXPECT_TRUE(sink_.envelopes[0].tls);
    EXPECT_EQ(sink_.contents[0], kContent);
}

TEST_F(DelivererTls, VerificationRefusesAnUntrustedCertificateAsTransient) {
    serve(untrusted());
    DelivererOptions o = options();
    o.tls_verify = true;
    o.ca_file = path("root.pem");
    Deliverer d(&loop_, o);
    DeliveryReport r = deliver(loop_, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("TLS handshake"), std::string::npos)
        << r.recipients.at(0).diagnostic;
    EXPECT_TRUE(sink_.envelopes.empty());
}

TEST_F(DelivererTls, VerificationAcceptsACertificateForTheHostFromTheTrustedCa) {
    serve(TlsContext::server(path("server.key"), path("chain.pem"), {}));
    DelivererOptions o = options("localhost");
    o.tls_verify = true;
    o.ca_file = path("root.pem");
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_EQ(sink_.envelopes.size(), 1u);
    EXPECT_TRUE(sink_.envelopes[0].tls);
}

TEST_F(DelivererTls, VerificationRequiresStartTls) {
    serve(nullptr);
    DelivererOptions o = options();
    o.tls_verify = true;
    o.ca_file = path("root.pem");
    Deliverer d(&loop_, o);
    DeliveryReport r = deliver(loop_, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("does not offer STARTTLS"), std::string::npos);
}

TEST_F(DelivererTls, AuthenticatesWithPlainOverTls) {
    serve(untrusted(), true);
    DelivererOptions o = options();
    o.smarthost->user = "u";
    o.smarthost->password = "p";
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_EQ(sink_.envelopes.size(), 1u);
    EXPECT_EQ(sink_.envelopes[0].auth_user, "u");
    o.smarthost->password = "wrong";  // a refused login is retried later, never bounced
    Deliverer refused(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, refused, message({"a@example.org"}))),
              Strings{"transient 535 5.7.8"});
}

TEST_F(DelivererTls, NeverSendsThePasswordInClear) {
    ScriptedPeer peer(&loop_, "220 mx\r\n", [](const std::string& c) {
        return standard_answer(c, {"AUTH PLAIN LOGIN"});
    });
    DelivererOptions o = smarthost_options(peer.address().port());
    o.smarthost->user = "u";
    o.smarthost->password = "p";
    Deliverer d(&loop_, o);
    DeliveryReport r = deliver(loop_, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    net::test::run_until(loop_, [&] { return d.active() == 0; });
    EXPECT_EQ(peer.log, (Strings{"EHLO client.test", "QUIT"}));
}

TEST_F(DelivererTls, AuthenticatesWithLoginWhenPlainIsNotOffered) {
    ScriptedPeer peer(
        &loop_, "220 mx\r\n",
        [](const std::string& c) -> std::string {
            if (c == "AUTH LOGIN") return "334 VXNlcm5hbWU6\r\n";
            if (c == "dQ==") return "334 UGFzc3dvcmQ6\r\n";  // base64 "u"
            if (c == "cA==") return "235 2.7.0 ok\r\n";      // base64 "p"
            return standard_answer(c, {"STARTTLS", "AUTH LOGIN"});
        },
        "127.0.0.1:0", untrusted());
    DelivererOptions o = smarthost_options(peer.address().port());
    o.smarthost->user = "u";
    o.smarthost->password = "p";
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    ASSERT_GE(peer.log.size(), 7u);
    EXPECT_EQ((Strings(peer.log.begin(), peer.log.begin() + 7)),
              (Strings{"EHLO client.test", "STARTTLS", "EHLO client.test", "AUTH LOGIN",
                       "dQ==", "cA==", "MAIL FROM:<alice@example.net>"}));
}

TEST_F(DelivererTls, RefusesRepliesInjectedBeforeTheTlsHandshake) {
    // CVE-2011-0411's mirror image: plaintext sent after "220" would be read as if it came
    // over TLS.
    ScriptedPeer peer(&loop_, "220 mx\r\n", [](const std::string& c) -> std::string {
        if (c == "STARTTLS") return "220 ready\r\n250-injected\r\n250 AUTH PLAIN\r\n";
        return standard_answer(c, {"STARTTLS"});
    });
    Deliverer d(&loop_, smarthost_options(peer.address().port()));
    DeliveryReport r = deliver(loop_, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("sent data after its STARTTLS reply"),
              std::string::npos)
        << r.recipients.at(0).diagnostic;
}

TEST_F(DelivererTls, ABrokenStartTlsIsRetriedInClearUnlessVerificationIsRequired) {
    // The peer offers STARTTLS but cannot complete a handshake (a client context).
    ScriptedPeer peer(
        &loop_, "220 mx\r\n", [](const std::string& c) { return standard_answer(c, {"STARTTLS"}); },
        "127.0.0.1:0", TlsContext::client(false));
    DelivererOptions o = smarthost_options(peer.address().port());
    Deliverer d(&loop_, o);
    EXPECT_EQ(fates(deliver(loop_, d, message({"a@example.org"}))), Strings{"delivered 250 2.0.0"});
    EXPECT_EQ(peer.connections, 2);
    ASSERT_GE(peer.log.size(), 4u);
    EXPECT_EQ((Strings(peer.log.begin(), peer.log.begin() + 4)),
              (Strings{"EHLO client.test", "STARTTLS", "EHLO client.test",
                       "MAIL FROM:<alice@example.net>"}));
    o.tls_verify = true;
    o.ca_file = path("root.pem");
    Deliverer strict(&loop_, o);
    DeliveryReport r = deliver(loop_, strict, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("TLS handshake with 127.0.0.1 [127.0.0.1] failed"),
              std::string::npos)
        << r.recipients.at(0).diagnostic;
    EXPECT_EQ(peer.connections, 3);
}

}  // namespace
}  // namespace netius::net::smtp
