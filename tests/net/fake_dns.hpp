#pragma once
// A DNS server for the resolver tests: UDP on 127.0.0.1, answering from a table of records on
// a helper thread (RFC 1035 §4.1 messages, owners compressed to the question). Names not in the
// table get NXDOMAIN; a name with no record of the asked type gets an empty answer (NODATA).
// A name with a CNAME answers other types with the CNAME, then the target's records (one
// level). Two pseudo-records script failures: rcode(n) answers RCODE n to every query of the
// name, truncated() announces one answer record and sends none (a malformed answer).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "util/unique_fd.hpp"

namespace netius::net::test {

class FakeDns {
  public:
    struct Record {
        std::uint16_t type;  // 1 A, 15 MX, 16 TXT, 28 AAAA... (kRcode, kTruncated: scripts)
        std::string rdata;   // wire format
        std::uint32_t ttl = 60;
    };
    static constexpr std::uint16_t kRcode = 0, kTruncated = 0xffff;

    static Record a(const char* ip) {
        in_addr v{};
        ::inet_pton(AF_INET, ip, &v);
        return {1, std::string(reinterpret_cast<const char*>(&v), 4)};
    }
    static Record aaaa(const char* ip) {
        in6_addr v{};
        ::inet_pton(AF_INET6, ip, &v);
        return {28, std::string(reinterpret_cast<const char*>(&v), 16)};
    }
    static Record mx(std::uint16_t preference, const std::string& host) {
        std::string r{static_cast<char>(preference >> 8), static_cast<char>(preference & 0xff)};
        return {15, r + encode_name(host)};
    }
    static Record txt(const std::vector<std::string>& strings) {
        std::string r;
        for (const auto& s : strings) r += static_cast<char>(s.size()) + s;
        return {16, r};
    }
    static Record ns(const std::string& host) { return {2, encode_name(host)}; }
    static Record cname(const std::string& host) { return {5, encode_name(host)}; }
    static Record ptr(const std::string& host) { return {12, encode_name(host)}; }
    static Record soa(const std::string& mname, const std::string& rname,
                      std::vector<std::uint32_t> numbers) {  // serial refresh retry expire min
        std::string r = encode_name(mname) + encode_name(rname);
        for (std::uint32_t n : numbers) r += u16(n >> 16) + u16(n & 0xffff);
        return {6, r};
    }
    static Record srv(std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
                      const std::string& target) {
        return {33, u16(priority) + u16(weight) + u16(port) + encode_name(target)};
    }
    static Record caa(std::uint8_t flags, const std::string& tag, const std::string& value) {
        return {257, std::string(1, static_cast<char>(flags)) + static_cast<char>(tag.size()) +
                         tag + value};
    }
    static Record rcode(int code) { return {kRcode, std::string(1, static_cast<char>(code))}; }
    static Record truncated() { return {kTruncated, ""}; }
    static Record with_ttl(Record r, std::uint32_t ttl) {
        r.ttl = ttl;
        return r;
    }

    explicit FakeDns(std::map<std::string, std::vector<Record>> records)
        : records_(std::move(records)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        timeval tv{0, 50'000};  // the thread checks for stop_ this often
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), len) == 0 &&
            ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeDns() {
        stop_ = true;
        thread_.join();
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    int queries() const { return queries_; }
    /// Replaces the records of `name` (any thread; later queries see them).
    void set(const std::string& name, std::vector<Record> records) {
        std::lock_guard lock(mutex_);
        records_[name] = std::move(records);
    }

  private:
    static std::string u16(std::uint32_t v) {
        return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)};
    }
    static std::string encode_name(const std::string& name) {
        std::string out;
        std::size_t start = 0;
        while (start < name.size()) {
            std::size_t dot = name.find('.', start);
            if (dot == std::string::npos) dot = name.size();
            out += static_cast<char>(dot - start) + name.substr(start, dot - start);
            start = dot + 1;
        }
        return out + '\0';
    }

    void serve() {
        char buf[512];
        while (!stop_) {
            sockaddr_in from{};
            socklen_t len = sizeof from;
            ssize_t n =
                ::recvfrom(fd_.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n < 12) continue;
            ++queries_;
            std::string q(buf, static_cast<std::size_t>(n));
            std::string reply = answer(q);
            ::sendto(fd_.get(), reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     len);
        }
    }

    std::string answer(const std::string& q) {
        std::size_t i = 12;
        std::string name;
        while (i < q.size() && q[i] != 0) {
            auto n = static_cast<std::size_t>(static_cast<unsigned char>(q[i]));
            if (!name.empty()) name += '.';
            name += q.substr(i + 1, n);
            i += n + 1;
        }
        const std::size_t question_end = i + 5;  // zero label, QTYPE, QCLASS
        const auto type = static_cast<std::uint16_t>(static_cast<unsigned char>(q[i + 1]) << 8 |
                                                     static_cast<unsigned char>(q[i + 2]));
        std::lock_guard lock(mutex_);
        auto it = records_.find(name);
        int rcode = it == records_.end() ? 3 : 0;  // NXDOMAIN
        std::string answers;
        int count = 0;
        // `owner` empty: a pointer to the question's name.
        auto add = [&](const std::string& owner, const Record& r) {
            answers += owner.empty() ? std::string("\xc0\x0c", 2) : encode_name(owner);
            answers += u16(r.type) + std::string("\x00\x01", 2) + u16(r.ttl >> 16) +
                       u16(r.ttl & 0xffff) + u16(static_cast<std::uint32_t>(r.rdata.size())) +
                       r.rdata;
            ++count;
        };
        if (it != records_.end()) {
            for (const Record& r : it->second) {
                if (r.type == kRcode) rcode = r.rdata[0];
                if (r.type == kTruncated) ++count;
                if (r.type == type) add("", r);
                if (r.type != 5 || type == 5) continue;
                add("", r);  // a CNAME, then the target's records of the type
                const std::string target = decode_name(r.rdata);
                auto t = records_.find(target);
                if (t != records_.end())
                    for (const Record& tr : t->second)
                        if (tr.type == type) add(target, tr);
            }
        }
        std::string out = q.substr(0, 2);
        out += static_cast<char>(0x81);
        out += static_cast<char>(0x80 | rcode);
        out += std::string("\x00\x01", 2) + u16(static_cast<std::uint32_t>(count));
        out += std::string(4, '\0');
        out += q.substr(12, question_end - 12);
        return out + answers;
    }

    static std::string decode_name(const std::string& wire) {  // uncompressed, as encode_name
        std::string out;
        std::size_t i = 0;
        while (i < wire.size() && wire[i] != 0) {
            const auto n = static_cast<std::size_t>(static_cast<unsigned char>(wire[i]));
            if (!out.empty()) out += '.';
            out += wire.substr(i + 1, n);
            i += 1 + n;
        }
        return out;
    }

    std::map<std::string, std::vector<Record>> records_;

    std::mutex mutex_;  // records_ (set() from the test's thread)
    UniqueFd fd_{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

}  // namespace netius::net::test
