// The Deliverer with real peers: dnsmasq answers the MX lookups (--mx-host, --host-record;
// authoritative for everything, so unknown names are NXDOMAIN) and aiosmtpd is the MX, with a
// handler that stores each message's bytes exactly as received (after dot-unstuffing) and
// its envelope.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "deliver_test_util.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "subprocess.hpp"

namespace netius::net::smtp {
namespace {

namespace fs = std::filesystem;
using namespace test;
using Strings = std::vector<std::string>;

// argv: output directory, port. Writes N.eml (content) and N.env (sender, recipients, MAIL
// parameters, one per line) for each message; stops on SIGTERM.
constexpr const char* kSink = R"(import os, signal, sys
from aiosmtpd.controller import Controller
out, port = sys.argv[1], int(sys.argv[2])
class Store:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        base = os.path.join(out, str(Store.count))
        with open(base + ".env", "w") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos +
                              [" ".join(envelope.mail_options)]) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 stored"
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
controller = Controller(Store(), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
controller.start()
signal.sigwait({signal.SIGTERM})
controller.stop()
)";

class DelivererPeers : public testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-smtpclient-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        std::ofstream(dir_ / "sink.py") << kSink;
        fs::create_directory(dir_ / "out");
        smtp_port_ = free_port();
        sink_ = std::make_unique<Subprocess>(
            Strings{"/usr/bin/python3", (dir_ / "sink.py").string(), (dir_ / "out").string(),
                    std::to_string(smtp_port_)});
        // dnsmasq binds UDP and TCP: a port taken meanwhile makes it exit; try another.
        for (int attempt = 0; attempt < 3; ++attempt) {
            start_dns();
            if (wait_until([&] { return dns_ready() || !dns_->running(); }) && dns_->running())
                break;
        }
        ASSERT_TRUE(wait_until([&] { return accepts(smtp_port_); })) << "aiosmtpd did not start";
        ASSERT_TRUE(wait_until([&] { return dns_ready(); })) << "dnsmasq did not start";
    }
    void start_dns() {
        dns_port_ = free_dns_port();
        dns_ = std::make_unique<Subprocess>(Strings{
            "/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-daemon",
            "--conf-file=/dev/null", "--listen-address=127.0.0.1", "--bind-interfaces",
            "--port=" + std::to_string(dns_port_), "--user=root", "--pid-file=", "--log-facility=-",
            "--local=/#/", "--mx-host=example.test,mx2.example.test,20",
            "--mx-host=example.test,mx1.example.test,10",
            "--host-record=mx1.example.test,127.0.0.3",  // nothing listens there
            "--host-record=mx2.example.test,127.0.0.1", "--host-record=implicit.test,127.0.0.1"});
    }
    bool dns_ready() const {
        try {  // answers (NXDOMAIN) once it is up
            resolve_txt("ready.test", {{address()}, std::chrono::milliseconds(100), 1});
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }
    void TearDown() override {
        sink_.reset();
        dns_.reset();
        if (!dir_.empty()) fs::remove_all(dir_);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(dns_port_); }
    DelivererOptions options() const {
        DelivererOptions o;
        o.helo_name = "client.test";
        o.resolver.nameservers = {address()};
        o.mx_port = smtp_port_;
        o.connect_timeout = 5s;
        o.command_timeout = 10s;
        return o;
    }
    /// What the sink stored for message `n` (1-based): content and envelope lines.
    std::pair<std::string, std::string> stored(int n) const {
        const fs::path base = dir_ / "out" / std::to_string(n);
        return {read_binary(base.string() + ".eml"), read_binary(base.string() + ".env")};
    }

    fs::path dir_;
    std::uint16_t smtp_port_ = 0, dns_port_ = 0;
    std::unique_ptr<Subprocess> sink_, dns_;
};

TEST_F(DelivererPeers, DeliversThroughTheMxByteForByte) {
    EventLoop loop;
    Deliverer d(&loop, options());
    const std::string content =
        "From: alice@example.net\r\nTo: b\xc3\xa9@example.test\r\nSubject: t\r\n\r\n"
        ".one dot\r\n..two dots\r\n\xc3\xa9t\xc3\xa9\r\n.\r\nlast\r\n";
    Outbound m = message({"b\xc3\xa9@example.test", "carol@example.test"}, content);
    m.domain = "example.test";
    m.smtputf8 = true;
    m.eight_bit = true;
    DeliveryReport r = deliver(loop, d, m);
    EXPECT_EQ(fates(r), (Strings{"delivered 250 2.0.0", "delivered 250 2.0.0"}));
    EXPECT_EQ(r.recipients.at(0).remote, "mx2.example.test [127.0.0.1]");  // mx1 is down
    auto [eml, env] = stored(1);
    EXPECT_EQ(eml, content);
    EXPECT_EQ(env, "alice@example.net\nb\xc3\xa9@example.test\ncarol@example.test\nSIZE=" +
                       std::to_string(content.size()) + " BODY=8BITMIME SMTPUTF8\n");
}

TEST_F(DelivererPeers, ImplicitMxAndMissingDomains) {
    EventLoop loop;
    Deliverer d(&loop, options());
    Outbound m = message({"x@implicit.test"});
    m.domain = "implicit.test";
    EXPECT_EQ(fates(deliver(loop, d, m)), Strings{"delivered 250 2.0.0"});
    EXPECT_EQ(stored(1).first, kContent);
    m = message({"x@nowhere.test"});
    m.domain = "nowhere.test";
    DeliveryReport r = deliver(loop, d, m);
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("no such domain"), std::string::npos);
}

}  // namespace
}  // namespace netius::net::smtp
