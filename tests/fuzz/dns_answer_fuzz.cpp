// libFuzzer target for the DNS answers `dns query` reads from the network (hostile input:
// any server, or anyone who can spoof one): detail::parse_records() for every record type,
// which walks the answer records' fixed fields itself (dns_answer.cpp) and pairs them with
// c-ares' parsers, then the text forms `dns query` prints.
//
// Input: byte 0 picks the record type asked for; the rest is the answer message.
// Invariants: no crash, no read outside the message (ASan: it is a heap copy of exactly its
// size); an answer that parses gives records of the type asked for or CNAMEs, each printable;
// a failure leaves no record behind and says why with a c-ares status.
#include <ares.h>

#include <cstdint>
#include <vector>

#include "fuzz_util.hpp"
#include "net/dns_record.hpp"
#include "net/resolver_detail.hpp"

using namespace netius::net;
using netius::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static constexpr DnsType kTypes[] = {
        DnsType::kA,  DnsType::kNs,  DnsType::kCname, DnsType::kSoa, DnsType::kPtr,
        DnsType::kMx, DnsType::kTxt, DnsType::kAaaa,  DnsType::kSrv, DnsType::kCaa};
    const DnsType type = kTypes[data[0] % std::size(kTypes)];
    std::vector<unsigned char> message(data + 1, data + size);  // exactly its size
    std::vector<ResourceRecord> records;
    const int status =
        detail::parse_records(type, message.data(), static_cast<int>(message.size()), records);
    if (status != ARES_SUCCESS) {
        check(records.empty(), "records left after a failure");
        return 0;
    }
    check(!records.empty(), "success without records");
    for (const ResourceRecord& r : records) {
        check(r.type == type || r.type == DnsType::kCname, "a record of another type");
        (void)rdata_text(r);
    }
    (void)records_text(records);
    return 0;
}
