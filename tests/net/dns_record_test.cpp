// The text forms of DNS records (what `netius dns query` prints), type names and reverse names.
#include "net/dns_record.hpp"

#include <gtest/gtest.h>

namespace netius::net {
namespace {

struct TextCase {
    const char* name;
    ResourceRecord record;
    const char* text;  // rdata_text
};

std::vector<TextCase> text_cases() {
    return {
        {"a", {"example.test", DnsType::kA, 300, DnsAddress{"192.0.2.1"}}, "192.0.2.1"},
        {"aaaa", {"example.test", DnsType::kAaaa, 300, DnsAddress{"2001:db8::1"}}, "2001:db8::1"},
        {"ns",
         {"example.test", DnsType::kNs, 300, DnsTarget{"ns1.example.test"}},
         "ns1.example.test"},
        {"cname",
         {"www.example.test", DnsType::kCname, 300, DnsTarget{"example.test"}},
         "example.test"},
        {"ptr_root", {"1.2.0.192.in-addr.arpa", DnsType::kPtr, 300, DnsTarget{""}}, "."},
        // netius' `python -m netius.clients.dns` prints "address => priority".
        {"mx",
         {"example.test", DnsType::kMx, 300, DnsMx{10, "mx1.example.test"}},
         "mx1.example.test => 10"},
        {"txt_strings",
         {"example.test", DnsType::kTxt, 300, DnsTxt{{"v=spf1 -all", "b"}}},
         "\"v=spf1 -all\" \"b\""},
        {"txt_escapes",
         {"example.test", DnsType::kTxt, 300, DnsTxt{{std::string("q\"b\\s\n\x7f\xff\0z", 10)}}},
         "\"q\\\"b\\\\s\\010\\127\\255\\000z\""},
        {"txt_empty", {"example.test", DnsType::kTxt, 300, DnsTxt{{""}}}, "\"\""},
        {"soa",
         {"example.test", DnsType::kSoa, 300,
          DnsSoa{"ns1.example.test", "hostmaster.example.test", 2024010101, 1200, 120, 604800,
                 600}},
         "ns1.example.test hostmaster.example.test 2024010101 1200 120 604800 600"},
        {"srv",
         {"_sip._udp.example.test", DnsType::kSrv, 300, DnsSrv{1, 5, 5060, "sip.example.test"}},
         "1 5 5060 sip.example.test"},
        {"caa",
         {"example.test", DnsType::kCaa, 300, DnsCaa{128, "issue", "ca.test; x=\"y\""}},
         "128 issue \"ca.test; x=\\\"y\\\"\""},
    };
}

TEST(DnsRecord, DataTextOfEveryType) {
    for (const TextCase& c : text_cases()) EXPECT_EQ(rdata_text(c.record), c.text) << c.name;
}

TEST(DnsRecord, RecordsTextAlignsTheColumns) {
    std::vector<ResourceRecord> records = {
        {"www.example.test", DnsType::kCname, 86400, DnsTarget{"example.test"}},
        {"example.test", DnsType::kA, 5, DnsAddress{"192.0.2.1"}},
        {"", DnsType::kNs, 60, DnsTarget{"a.root.test"}},
    };
    EXPECT_EQ(records_text(records),
              "www.example.test  86400  CNAME  example.test\n"
              "example.test          5  A      192.0.2.1\n"
              ".                    60  NS     a.root.test\n");
    EXPECT_EQ(records_text({}), "");
}

TEST(DnsRecord, TypeNamesRoundTripCaseInsensitively) {
    for (auto t : {DnsType::kA, DnsType::kNs, DnsType::kCname, DnsType::kSoa, DnsType::kPtr,
                   DnsType::kMx, DnsType::kTxt, DnsType::kAaaa, DnsType::kSrv, DnsType::kCaa}) {
        const std::string name(dns_type_name(t));
        EXPECT_EQ(parse_dns_type(name), t) << name;
        std::string lower;
        for (char c : name) lower += static_cast<char>(c | 0x20);
        EXPECT_EQ(parse_dns_type(lower), t) << lower;
    }
    EXPECT_EQ(dns_type_name(DnsType::kCaa), "CAA");
    EXPECT_EQ(static_cast<int>(*parse_dns_type("srv")), 33);
    EXPECT_FALSE(parse_dns_type("ANY"));
    EXPECT_FALSE(parse_dns_type(""));
    EXPECT_FALSE(parse_dns_type("A "));
}

TEST(DnsRecord, ReverseNames) {
    EXPECT_EQ(reverse_name("192.0.2.1"), "1.2.0.192.in-addr.arpa");
    EXPECT_EQ(reverse_name("127.0.0.1"), "1.0.0.127.in-addr.arpa");
    // RFC 3596 §2.5's example address.
    EXPECT_EQ(reverse_name("4321:0:1:2:3:4:567:89ab"),
              "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa");
    EXPECT_EQ(reverse_name("::1"),
              "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
    EXPECT_EQ(reverse_name("::ffff:192.0.2.1"),
              "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
    EXPECT_FALSE(reverse_name("192.0.2"));
    EXPECT_FALSE(reverse_name("example.test"));
    EXPECT_FALSE(reverse_name("[::1]"));
    EXPECT_FALSE(reverse_name(""));
}

}  // namespace
}  // namespace netius::net
