// compose_bounce: an RFC 3464 multipart/report with CRLF lines, one block per failed recipient
// and the original header section (the integration test parses it with Python's email).
#include "net/relay/bounce.hpp"

#include <gtest/gtest.h>

#include "relay_test_support.hpp"

namespace netius::net::relay {
namespace {

using test::rcpt;

QueueEntry failed_entry() {
    QueueEntry e;
    e.id = "ABC";
    e.created = 1700000000;
    e.sender = "joe@example.net";
    e.recipients.push_back(rcpt("ok@example.org", RecipientState::kDelivered, 1, 0, 250));
    e.recipients.push_back({"gone@example.org", RecipientState::kFailed, 1, 0, 550, "5.1.1",
                            "mx1.example.org [127.0.0.1]", "550 5.1.1 no such user"});
    e.recipients.push_back({"slow@example.com", RecipientState::kFailed, 9, 0, 451, "4.4.7", "",
                            "delivery time expired"});
    return e;
}

const std::string kOriginal =
    "Received: from x\r\nFrom: Joe <joe@example.net>\r\nSubject: Hello\r\n\r\nsecret body\r\n";

TEST(Bounce, IsAMultipartReportWithCrlfLines) {
    const std::string b = compose_bounce(failed_entry(), kOriginal,
                                         {"relay.example.net", "postmaster@example.net", "ID1", 0});
    for (std::size_t i = 0; i < b.size(); ++i)
        if (b[i] == '\n') {
            ASSERT_TRUE(i > 0 && b[i - 1] == '\r') << "bare LF at " << i;
        }
    EXPECT_EQ(b.rfind("From: Mail Delivery System <postmaster@example.net>\r\n", 0), 0u);
    EXPECT_NE(b.find("\r\nTo: <joe@example.net>\r\n"), std::string::npos);
    EXPECT_NE(b.find("Content-Type: multipart/report; report-type=delivery-status;"),
              std::string::npos);
    EXPECT_NE(b.find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
    EXPECT_NE(b.find("Content-Type: message/delivery-status\r\n"), std::string::npos);
    EXPECT_NE(b.find("Reporting-MTA: dns; relay.example.net\r\n"), std::string::npos);
    EXPECT_NE(b.find("Message-ID: <ID1@relay.example.net>\r\n"), std::string::npos);
    EXPECT_NE(b.find("--ID1/relay.example.net--\r\n"), std::string::npos);
}

TEST(Bounce, OneBlockPerFailedRecipient) {
    const std::string b = compose_bounce(failed_entry(), kOriginal,
                                         {"relay.example.net", "postmaster@example.net", "ID1", 0});
    EXPECT_EQ(b.find("ok@example.org"), std::string::npos);
    EXPECT_NE(b.find("Final-Recipient: rfc822; gone@example.org\r\nAction: failed\r\n"
                     "Status: 5.1.1\r\nRemote-MTA: dns; mx1.example.org\r\n"
                     "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"),
              std::string::npos);
    EXPECT_NE(b.find("Final-Recipient: rfc822; slow@example.com\r\nAction: failed\r\n"
                     "Status: 4.4.7\r\n"),
              std::string::npos);
}

TEST(Bounce, QuotesOnlyTheOriginalHeaders) {
    const std::string b = compose_bounce(failed_entry(), kOriginal,
                                         {"relay.example.net", "postmaster@example.net", "ID1", 0});
    EXPECT_NE(b.find("Content-Type: text/rfc822-headers\r\n\r\nReceived: from x\r\nFrom: Joe "
                     "<joe@example.net>\r\nSubject: Hello\r\n"),
              std::string::npos);
    EXPECT_EQ(b.find("secret body"), std::string::npos);
}

TEST(Bounce, StatusFallsBackFromTheCode) {
    QueuedRecipient r;
    r.code = 550;
    EXPECT_EQ(status_of(r), "5.0.0");
    r.code = 0;  // a local verdict: null MX, no such domain
    EXPECT_EQ(status_of(r), "5.0.0");
    r.enhanced = "5.7.1";
    EXPECT_EQ(status_of(r), "5.7.1");
}

}  // namespace
}  // namespace netius::net::relay
