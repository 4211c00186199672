// The blocking TXT lookup of resolver.hpp: one private c-ares channel driven with poll().
#include <poll.h>

#include "net/resolver.hpp"
#include "net/resolver_detail.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

struct Query {
    bool done = false;
    int status = ARES_SUCCESS;
    std::vector<DnsRecord> records;
};

void on_txt(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    auto* q = static_cast<Query*>(arg);
    q->done = true;
    q->status = status == ARES_SUCCESS ? detail::parse_answer(DnsType::kTxt, abuf, alen, q->records)
                                       : status;
}

// Drives the channel until the query's callback has run. c-ares bounds the query by
// timeout * tries; poll() waits at most until c-ares' next timer.
void wait(ares_channel channel, const Query& q) {
    while (!q.done) {
        ares_socket_t socks[ARES_GETSOCK_MAXNUM];
        int mask = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
        pollfd fds[ARES_GETSOCK_MAXNUM];
        nfds_t n = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(mask, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(mask, i)) events |= POLLOUT;
            if (events) fds[n++] = pollfd{socks[i], events, 0};
        }
        timeval tv{};
        timeval* next = ares_timeout(channel, nullptr, &tv);
        int ms = next ? static_cast<int>(next->tv_sec * 1000 + next->tv_usec / 1000) : 100;
        int ready = ::poll(fds, n, ms);
        if (ready <= 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timers
            continue;
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            bool in = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
            bool out = fds[i].revents & POLLOUT;
            ares_process_fd(channel, in ? fds[i].fd : ARES_SOCKET_BAD,
                            out ? fds[i].fd : ARES_SOCKET_BAD);
        }
    }
}

}  // namespace

std::vector<std::string> resolve_txt(const std::string& name, const ResolverOptions& options) {
    ares_channel channel = detail::make_channel(options);
    Query q;
    ares_query(channel, name.c_str(), ns_c_in, static_cast<int>(DnsType::kTxt), on_txt, &q);
    wait(channel, q);
    ares_destroy(channel);
    std::string error;
    switch (detail::classify(q.status, "'" + name + "'", options, error)) {
        case DnsStatus::kOk:
            break;
        case DnsStatus::kNotFound:
            return {};
        default:
            throw Error(error);
    }
    std::vector<std::string> records;
    for (DnsRecord& r : q.records) records.push_back(std::move(r.value));
    return records;
}

}  // namespace netius::net
