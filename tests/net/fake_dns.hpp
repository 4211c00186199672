#pragma once
// A DNS server for the resolver tests: UDP on 127.0.0.1, answering from a table of records on
// a helper thread (RFC 1035 §4.1 messages, names compressed to the question). Names not in the
// table get NXDOMAIN; a name with no record of the asked type gets an empty answer (NODATA).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "util/unique_fd.hpp"

namespace netius::net::test {

class FakeDns {
  public:
    struct Record {
        std::uint16_t type;  // 1 A, 15 MX, 16 TXT, 28 AAAA
        std::string rdata;   // wire format
    };

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

  private:
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
        auto it = records_.find(name);
        std::vector<const Record*> found;
        if (it != records_.end())
            for (const Record& r : it->second)
                if (r.type == type) found.push_back(&r);
        std::string out = q.substr(0, 2);
        out += it == records_.end() ? std::string("\x81\x83", 2) : std::string("\x81\x80", 2);
        out += std::string("\x00\x01", 2);
        out += static_cast<char>(0);
        out += static_cast<char>(found.size());
        out += std::string(4, '\0');
        out += q.substr(12, question_end - 12);
        for (const Record* r : found) {
            out += std::string("\xc0\x0c", 2);  // the name: a pointer to the question's
            out += static_cast<char>(r->type >> 8);
            out += static_cast<char>(r->type & 0xff);
            out += std::string("\x00\x01\x00\x00\x00\x3c", 6);  // IN, TTL 60
            out += static_cast<char>(r->rdata.size() >> 8);
            out += static_cast<char>(r->rdata.size() & 0xff);
            out += r->rdata;
        }
        return out;
    }

    std::map<std::string, std::vector<Record>> records_;
    UniqueFd fd_{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> queries_{0};
    std::thread thread_;
};

}  // namespace netius::net::test
