// The Deliverer against the real `netius serve smtp` (a subprocess: NETIUS_BIN, else the
// netius next to this test's build directory): what lands in the Maildir is the message,
// byte for byte, after the Return-Path and Received fields the server prepends.
#include <gtest/gtest.h>

#include <filesystem>

#include "deliver_test_util.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "subprocess.hpp"

namespace netius::net::smtp {
namespace {

namespace fs = std::filesystem;
using namespace test;
using Strings = std::vector<std::string>;

TEST(DelivererServeSmtp, MessagesArriveByteForByte) {
    const std::string bin = netius_binary();
    ASSERT_FALSE(bin.empty()) << "set NETIUS_BIN to the netius binary";
    char tmpl[] = "/tmp/netius-smtpclient-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const fs::path dir = tmpl;
    {
        const std::uint16_t port = free_port();
        Subprocess server({bin, "serve", "smtp", "--host", "127.0.0.1", "--port",
                           std::to_string(port), "--maildir", (dir / "mail").string(), "--single"});
        ASSERT_TRUE(server.started() && wait_until([&] { return accepts(port); }))
            << bin << " serve smtp did not start";
        // Dots at line starts, 8-bit text, an empty line, and a large body of many lines.
        std::string big = "From: alice@example.net\r\nTo: bob@example.org\r\nSubject: big\r\n\r\n";
        for (int i = 0; big.size() < (3u << 20); ++i)
            big += (i % 3 == 0   ? "."
                    : i % 3 == 1 ? ".."
                                 : "line ") +
                   std::to_string(i) + " \xc3\xa9t\xc3\xa9 " +
                   std::string(static_cast<std::size_t>(i % 97), 'x') + "\r\n";
        const Strings contents = {
            "From: alice@example.net\r\nSubject: dots\r\n\r\n.\r\n..\r\n.leading\r\nend\r\n", big};
        EventLoop loop;
        Deliverer d(&loop, smarthost_options(port));
        for (const std::string& content : contents) {
            Outbound m = message({"bob@example.org"}, content);
            m.eight_bit = true;
            EXPECT_EQ(fates(deliver(loop, d, m)), Strings{"delivered 250 2.0.0"});
        }
        net::test::run_until(loop, [&] { return d.active() == 0; });
        std::vector<std::string> stored;
        for (const auto& e : fs::directory_iterator(dir / "mail" / "new"))
            stored.push_back(read_binary(e.path()));
        ASSERT_EQ(stored.size(), contents.size());
        for (const std::string& content : contents) {
            bool found = false;
            for (const std::string& file : stored) {
                if (!file.ends_with(content)) continue;
                found = true;
                const std::string head = file.substr(0, file.size() - content.size());
                EXPECT_TRUE(head.starts_with("Return-Path: <alice@example.net>\r\nReceived: "))
                    << head;
                EXPECT_NE(head.find("for <bob@example.org>"), std::string::npos) << head;
            }
            EXPECT_TRUE(found) << "no stored message ends with the " << content.size()
                               << "-byte content";
        }
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace netius::net::smtp
