// Deliverer + ClientSession against scripted SMTP servers on the test's loop (smarthost
// routing, so no DNS): the conversation on the wire, and how each reply maps to outcomes.
#include "net/smtp/client/deliverer.hpp"

#include <gtest/gtest.h>

#include "deliver_test_util.hpp"
#include "net/smtp/client/dot_stuffer.hpp"
#include "scripted_peer.hpp"

namespace netius::net::smtp {
namespace {

using namespace test;
using Strings = std::vector<std::string>;

const Strings kEsmtp = {"PIPELINING", "SIZE 1000000", "8BITMIME", "ENHANCEDSTATUSCODES"};

TEST(Deliverer, PipelinesMailRcptAndDataAndReportsEachRecipient) {
    EventLoop loop;
    // MAIL and the RCPTs get no answer until DATA arrived: a client waiting for the MAIL
    // reply before sending more would time out.
    std::string held;
    ScriptedPeer peer(&loop, "220 mx ESMTP\r\n", [&](const std::string& c) -> std::string {
        if (c.starts_with("MAIL")) held = "250 2.1.0 ok\r\n";
        if (c.starts_with("RCPT TO:<bad@"))
            held += "550-5.1.1 no such\r\n550 5.1.1 user\r\n";
        else if (c.starts_with("RCPT"))
            held += "250 2.1.5 ok\r\n";
        if (c.starts_with("MAIL") || c.starts_with("RCPT")) return "";
        if (c == "DATA") return held + "354 go\r\n";
        return standard_answer(c, kEsmtp);
    });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    DeliveryReport r =
        deliver(loop, d, message({"a@example.org", "bad@example.org", "c@example.org"}));
    EXPECT_EQ(fates(r),
              (Strings{"delivered 250 2.0.0", "permanent 550 5.1.1", "delivered 250 2.0.0"}));
    ASSERT_EQ(r.recipients.size(), 3u);
    EXPECT_EQ(r.recipients[0].recipient, "a@example.org");
    EXPECT_EQ(r.recipients[0].remote, "127.0.0.1 [127.0.0.1]");
    EXPECT_EQ(r.recipients[1].diagnostic, "550 5.1.1 no such; user");
    EXPECT_EQ(r.recipients[2].diagnostic, "250 2.0.0 queued as 1");
    net::test::run_until(loop, [&] { return d.active() == 0; });
    const std::size_t size = std::string(kContent).size();
    EXPECT_EQ(
        peer.log,
        (Strings{"EHLO client.test", "MAIL FROM:<alice@example.net> SIZE=" + std::to_string(size),
                 "RCPT TO:<a@example.org>", "RCPT TO:<bad@example.org>", "RCPT TO:<c@example.org>",
                 "DATA", "DATA Subject: test\r\n\r\nbody\r\n..dot line\r\n", "QUIT"}));
}

TEST(Deliverer, ABigMessageGoesOutInStuffedPiecesThatJoinUpExactly) {
    // The content is stuffed and sent 64 KiB at a time: a dot-led line and a CRLF that
    // straddle the piece boundaries must come out as if stuffed whole.
    std::string content(3 * 65536 + 160, 'x');
    for (std::size_t i = 78; i + 1 < content.size(); i += 80) content.replace(i, 2, "\r\n");
    content.replace(65534, 3, "\r\n.");   // a dot-led line starting a piece
    content.replace(131071, 3, "\r\n.");  // a CRLF split between two pieces
    content.replace(content.size() - 2, 2, "\r\n");
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 mx ESMTP\r\n",
                      [&](const std::string& c) { return standard_answer(c, kEsmtp); });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    DeliveryReport r = deliver(loop, d, message({"a@example.org"}, content));
    EXPECT_EQ(fates(r), (Strings{"delivered 250 2.0.0"}));
    net::test::run_until(loop, [&] { return d.active() == 0; });
    const std::string stuffed = dot_stuff(content);
    ASSERT_EQ(peer.log.size(), 6u);
    EXPECT_TRUE(peer.log[4] == "DATA " + stuffed.substr(0, stuffed.size() - 3))
        << "the data differs from the content stuffed whole";
}

// Delivers `first`, waits until that delivery has ended (its connection kept or closed),
// then delivers `second`: the fates of both, in order.
Strings deliver_in_turn(EventLoop& loop, Deliverer& d, Outbound first, Outbound second) {
    Strings out = fates(deliver(loop, d, std::move(first)));
    net::test::run_until(loop, [&] { return d.active() == 0; });
    for (std::string& f : fates(deliver(loop, d, std::move(second)))) out.push_back(std::move(f));
    return out;
}

TEST(Deliverer, TheNextMessageToTheSameDestinationReusesTheConnection) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 mx ESMTP\r\n",
                      [&](const std::string& c) { return standard_answer(c, kEsmtp); });
    DelivererOptions o = smarthost_options(peer.address().port());
    o.idle_timeout = 5s;
    Deliverer d(&loop, o);
    EXPECT_EQ(deliver_in_turn(loop, d, message({"a@example.org"}),
                              message({"b@example.org"}, "Subject: 2\r\n\r\nx\r\n")),
              (Strings{"delivered 250 2.0.0", "delivered 250 2.0.0"}));
    EXPECT_EQ(peer.connections, 1);
    // One EHLO, then two transactions back to back; no QUIT while the connection is kept.
    EXPECT_EQ(peer.log, (Strings{"EHLO client.test", "MAIL FROM:<alice@example.net> SIZE=34",
                                 "RCPT TO:<a@example.org>", "DATA",
                                 "DATA Subject: test\r\n\r\nbody\r\n..dot line\r\n",
                                 "MAIL FROM:<alice@example.net> SIZE=17", "RCPT TO:<b@example.org>",
                                 "DATA", "DATA Subject: 2\r\n\r\nx\r\n"}));
}

TEST(Deliverer, AKeptConnectionFoundClosedIsReplacedWithoutFailingTheMessage) {
    EventLoop loop;
    int mails = 0;
    ScriptedPeer peer(&loop, "220 mx ESMTP\r\n", [&](const std::string& c) -> std::string {
        if (c.starts_with("MAIL") && ++mails == 2) return "close";  // gone while kept idle
        return standard_answer(c, kEsmtp);
    });
    DelivererOptions o = smarthost_options(peer.address().port());
    o.idle_timeout = 5s;
    Deliverer d(&loop, o);
    EXPECT_EQ(deliver_in_turn(loop, d, message({"a@example.org"}), message({"b@example.org"})),
              (Strings{"delivered 250 2.0.0", "delivered 250 2.0.0"}));
    EXPECT_EQ(peer.connections, 2);
    EXPECT_EQ(mails, 3);
}

TEST(Deliverer, WithoutPipeliningSendsOneCommandAtATimeAndSkipsDataWhenNobodyIsLeft) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 mx\r\n", [](const std::string& c) -> std::string {
        if (c.starts_with("RCPT")) return "450 4.2.1 mailbox busy\r\n";
        return standard_answer(c, {"SIZE"});
    });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    DeliveryReport r = deliver(loop, d, message({"a@example.org", "b@example.org"}));
    EXPECT_EQ(fates(r), (Strings{"transient 450 4.2.1", "transient 450 4.2.1"}));
    net::test::run_until(loop, [&] { return d.active() == 0; });
    EXPECT_EQ(peer.log, (Strings{"EHLO client.test", "MAIL FROM:<alice@example.net> SIZE=34",
                                 "RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>", "QUIT"}));
}

TEST(Deliverer, PipelinedWithEveryRecipientRefusedSendsNoContentAfterA354) {
    EventLoop loop;
    // RFC 2920 §3.1: the server answered 354 to the pipelined DATA although no RCPT
    // succeeded; the client must end the (empty) data at once.
    ScriptedPeer peer(&loop, "220 mx\r\n", [](const std::string& c) -> std::string {
        if (c.starts_with("RCPT")) return "550 5.1.1 unknown\r\n";
        return standard_answer(c, {"PIPELINING"});
    });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    EXPECT_EQ(fates(deliver(loop, d, message({"a@example.org"}))), Strings{"permanent 550 5.1.1"});
    net::test::run_until(loop, [&] { return d.active() == 0; });
    EXPECT_EQ(peer.log, (Strings{"EHLO client.test", "MAIL FROM:<alice@example.net>",
                                 "RCPT TO:<a@example.org>", "DATA", "DATA ", "QUIT"}));
}

TEST(Deliverer, FallsBackToHeloWhenEhloIsRefused) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 old\r\n", [](const std::string& c) -> std::string {
        if (c.starts_with("EHLO")) return "502 command not implemented\r\n";
        return standard_answer(c, {});
    });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    Outbound m = message({"a@example.org"});
    m.eight_bit = true;  // no 8BITMIME offered: no BODY= parameter either
    m.sender = "";
    EXPECT_EQ(fates(deliver(loop, d, m)), Strings{"delivered 250 2.0.0"});
    ASSERT_GE(peer.log.size(), 3u);
    EXPECT_EQ(peer.log[1], "HELO client.test");
    EXPECT_EQ(peer.log[2], "MAIL FROM:<>");
}

TEST(Deliverer, ParametersFollowTheMessageAndTheOffer) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 mx\r\n", [](const std::string& c) {
        return standard_answer(c, {"8BITMIME", "SMTPUTF8"});
    });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    Outbound m = message({"\xc3\xa9t\xc3\xa9@example.org"});
    m.eight_bit = true;
    m.smtputf8 = true;
    EXPECT_EQ(fates(deliver(loop, d, m)), Strings{"delivered 250 2.0.0"});
    ASSERT_GE(peer.log.size(), 3u);
    EXPECT_EQ(peer.log[1], "MAIL FROM:<alice@example.net> BODY=8BITMIME SMTPUTF8");
    EXPECT_EQ(peer.log[2], "RCPT TO:<\xc3\xa9t\xc3\xa9@example.org>");
}

TEST(Deliverer, RefusesAsPermanentWhatThePeerCannotTake) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 mx\r\n",
                      [](const std::string& c) { return standard_answer(c, {"SIZE 10"}); });
    Deliverer d(&loop, smarthost_options(peer.address().port()));
    Outbound utf8 = message({"a@example.org"});
    utf8.smtputf8 = true;  // SMTPUTF8 needed, not offered (RFC 6531 §3.2)
    DeliveryReport r = deliver(loop, d, utf8);
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("SMTPUTF8"), std::string::npos);
    r = deliver(loop, d, message({"a@example.org"}));  // 35 bytes > SIZE 10
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("10 byte limit"), std::string::npos);
    net::test::run_until(loop, [&] { return d.active() == 0; });
    for (const std::string& line : peer.log) EXPECT_FALSE(line.starts_with("MAIL")) << line;
}

struct ReplyCase {
    const char* name;
    std::string command;  // the first command answered with `reply`
    std::string reply;
    Strings want;
};

class DelivererReplies : public testing::TestWithParam<ReplyCase> {};

TEST_P(DelivererReplies, MapToFates) {
    const ReplyCase& c = GetParam();
    EventLoop loop;
    ScriptedPeer peer(&loop, c.command == "greeting" ? c.reply : "220 mx\r\n",
                      [&](const std::string& got) {
                          if (got.starts_with(c.command)) return c.reply;
                          return standard_answer(got, {"ENHANCEDSTATUSCODES"});
                      });
    DelivererOptions o = smarthost_options(peer.address().port());
    o.command_timeout = 300ms;
    Deliverer d(&loop, o);
    EXPECT_EQ(fates(deliver(loop, d, message({"a@example.org", "b@example.org"}))), c.want);
    net::test::run_until(loop, [&] { return d.active() == 0; });
}

const ReplyCase kReplyCases[] = {
    {"greeting_421",
     "greeting",
     "421 4.3.2 busy\r\n",
     {"transient 421 4.3.2", "transient 421 4.3.2"}},
    {"greeting_554", "greeting", "554 no service\r\n", {"permanent 554", "permanent 554"}},
    {"greeting_silence", "greeting", "", {"transient 0", "transient 0"}},
    {"greeting_closed", "greeting", "close", {"transient 0", "transient 0"}},
    {"greeting_garbage", "greeting", "hello there\r\n", {"transient 0", "transient 0"}},
    {"ehlo_4xx", "EHLO", "421 4.7.0 go away\r\n", {"transient 421 4.7.0", "transient 421 4.7.0"}},
    {"mail_550",
     "MAIL",
     "550 5.7.1 sender refused\r\n",
     {"permanent 550 5.7.1", "permanent 550 5.7.1"}},
    {"mail_451", "MAIL", "451 4.3.0 later\r\n", {"transient 451 4.3.0", "transient 451 4.3.0"}},
    {"rcpt_one",
     "RCPT TO:<b@",
     "550 5.1.1 unknown\r\n",
     {"delivered 250 2.0.0", "permanent 550 5.1.1"}},
    {"rcpt_silence", "RCPT TO:<b@", "", {"transient 0", "transient 0"}},
    {"data_554",
     "DATA",
     "554 5.5.1 no valid recipients\r\n",
     {"permanent 554 5.5.1", "permanent 554 5.5.1"}},
    {"end_451", ".", "451 4.3.0 try again\r\n", {"transient 451 4.3.0", "transient 451 4.3.0"}},
    {"end_552_multiline",
     ".",
     "552-5.3.4 too\r\n552 5.3.4 big\r\n",
     {"permanent 552 5.3.4", "permanent 552 5.3.4"}},
    {"end_closed", ".", "close", {"transient 0", "transient 0"}},
    {"end_silence", ".", "", {"transient 0", "transient 0"}},
    {"end_code_mismatch", ".", "250-ok\r\n251 ok\r\n", {"transient 0", "transient 0"}},
};

INSTANTIATE_TEST_SUITE_P(Deliverer, DelivererReplies, testing::ValuesIn(kReplyCases),
                         [](const auto& i) { return std::string(i.param.name); });

TEST(Deliverer, ReportsAnUnreachableHostAsTransient) {
    EventLoop loop;
    std::uint16_t port;
    {
        ScriptedPeer closed(&loop, "220 mx\r\n", [](const std::string&) { return ""; });
        port = closed.address().port();
    }  // nothing listens there any more
    Deliverer d(&loop, smarthost_options(port));
    DeliveryReport r = deliver(loop, d, message({"a@example.org"}));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("cannot connect to 127.0.0.1"), std::string::npos)
        << r.recipients.at(0).diagnostic;
}

TEST(Deliverer, DestroyingItCancelsDeliveriesWithoutCallingBack) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "", [](const std::string&) { return ""; });  // never answers
    bool called = false;
    {
        Deliverer d(&loop, smarthost_options(peer.address().port()));
        d.deliver(message({"a@example.org"}), [&](DeliveryReport) { called = true; });
        net::test::run_until(loop, [&] { return peer.connections == 1; });
    }
    loop.run_after(50ms, [&] { loop.quit(); });
    net::test::run_loop(loop);
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace netius::net::smtp
