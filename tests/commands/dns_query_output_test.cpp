// `netius dns query --json` and its exit statuses.
#include "commands/dns_query_output.hpp"

#include <gtest/gtest.h>

namespace netius::cmd {
namespace {

using namespace net;

TEST(DnsQueryOutput, JsonHasEachTypesFields) {
    std::vector<ResourceRecord> records = {
        {"www.example.test", DnsType::kCname, 30, DnsTarget{"example.test"}},
        {"example.test", DnsType::kA, 300, DnsAddress{"192.0.2.1"}},
        {"example.test", DnsType::kMx, 60, DnsMx{10, "mx1.example.test"}},
        {"example.test", DnsType::kTxt, 60, DnsTxt{{"v=spf1 ", "-all"}}},
        {"", DnsType::kSoa, 1, DnsSoa{"a.test", "h.test", 1, 2, 3, 4, 5}},
        {"_s._tcp.test", DnsType::kSrv, 2, DnsSrv{1, 5, 443, ""}},
        {"example.test", DnsType::kCaa, 3, DnsCaa{128, "issue", "ca.test"}},
    };
    EXPECT_EQ(records_json(records),
              "[{\"name\":\"www.example.test\",\"type\":\"CNAME\",\"ttl\":30,\"target\":"
              "\"example.test\"},"
              "{\"name\":\"example.test\",\"type\":\"A\",\"ttl\":300,\"address\":\"192.0.2.1\"},"
              "{\"name\":\"example.test\",\"type\":\"MX\",\"ttl\":60,\"preference\":10,"
              "\"exchange\":\"mx1.example.test\"},"
              "{\"name\":\"example.test\",\"type\":\"TXT\",\"ttl\":60,\"strings\":[\"v=spf1 \","
              "\"-all\"],\"text\":\"v=spf1 -all\"},"
              "{\"name\":\".\",\"type\":\"SOA\",\"ttl\":1,\"mname\":\"a.test\",\"rname\":"
              "\"h.test\",\"serial\":1,\"refresh\":2,\"retry\":3,\"expire\":4,\"minimum\":5},"
              "{\"name\":\"_s._tcp.test\",\"type\":\"SRV\",\"ttl\":2,\"priority\":1,\"weight\":5,"
              "\"port\":443,\"target\":\".\"},"
              "{\"name\":\"example.test\",\"type\":\"CAA\",\"ttl\":3,\"flags\":128,\"tag\":"
              "\"issue\",\"value\":\"ca.test\"}]\n");
    EXPECT_EQ(records_json({}), "[]\n");
}

TEST(DnsQueryOutput, JsonReplacesBytesThatAreNotUtf8) {
    std::vector<ResourceRecord> records = {
        {"t.test", DnsType::kTxt, 0, DnsTxt{{std::string("a\xff\"\n", 4)}}}};
    EXPECT_EQ(
        records_json(records),
        "[{\"name\":\"t.test\",\"type\":\"TXT\",\"ttl\":0,\"strings\":[\"a\xef\xbf\xbd\\\"\\n\"],"
        "\"text\":\"a\xef\xbf\xbd\\\"\\n\"}]\n");
}

TEST(DnsQueryOutput, ExitStatusesAreDistinct) {
    EXPECT_EQ(exit_status(DnsQueryStatus::kOk), 0);
    EXPECT_EQ(exit_status(DnsQueryStatus::kFailed), 1);
    EXPECT_EQ(exit_status(DnsQueryStatus::kNxDomain), 3);
    EXPECT_EQ(exit_status(DnsQueryStatus::kNoData), 4);
    EXPECT_EQ(exit_status(DnsQueryStatus::kNoAnswer), 5);
    EXPECT_EQ(exit_status(DnsQueryStatus::kServerFailure), 6);
}

}  // namespace
}  // namespace netius::cmd
