#include "net/resolver.hpp"

#include <ares.h>
#include <arpa/nameser.h>
#include <poll.h>

#include <mutex>

#include "util/error.hpp"

namespace netius::net {
namespace {

void init_library() {
    static std::once_flag once;
    static int status = ARES_SUCCESS;
    std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
    if (status != ARES_SUCCESS) throw Error("c-ares: {}", ares_strerror(status));
}

// Owns one c-ares channel; ares_destroy runs pending callbacks with ARES_EDESTRUCTION.
class AresChannel {
  public:
    explicit AresChannel(const ResolverOptions& o) {
        ares_options opts{};
        opts.timeout = static_cast<int>(o.timeout.count());
        opts.tries = o.tries;
        int status = ares_init_options(&channel_, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
        if (status != ARES_SUCCESS) throw Error("c-ares: {}", ares_strerror(status));
        if (o.nameservers.empty()) return;
        std::string csv;
        for (const auto& ns : o.nameservers) csv += (csv.empty() ? "" : ",") + ns;
        status = ares_set_servers_ports_csv(channel_, csv.c_str());
        if (status != ARES_SUCCESS) {
            ares_destroy(channel_);
            throw Error("bad nameserver '{}': {}", csv, ares_strerror(status));
        }
    }
    ~AresChannel() { ares_destroy(channel_); }
    AresChannel(const AresChannel&) = delete;
    AresChannel& operator=(const AresChannel&) = delete;
    ares_channel get() const { return channel_; }

  private:
    ares_channel channel_ = nullptr;
};

struct Query {
    bool done = false;
    int status = ARES_SUCCESS;
    std::vector<std::string> records;
};

void on_txt(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    auto* q = static_cast<Query*>(arg);
    q->done = true;
    q->status = status;
    if (status != ARES_SUCCESS) return;
    ares_txt_ext* txt = nullptr;
    q->status = ares_parse_txt_reply_ext(abuf, alen, &txt);
    // Strings of one record arrive in order; record_start marks the first of each record.
    for (ares_txt_ext* t = txt; t; t = t->next) {
        if (t->record_start || q->records.empty()) q->records.emplace_back();
        q->records.back().append(reinterpret_cast<const char*>(t->txt), t->length);
    }
    if (txt) ares_free_data(txt);
}

// Drives the channel until the query's callback has run. c-ares bounds the query by
// timeout * tries; poll() waits at most until c-ares' next timer.
void wait(AresChannel& channel, const Query& q) {
    while (!q.done) {
        ares_socket_t socks[ARES_GETSOCK_MAXNUM];
        int mask = ares_getsock(channel.get(), socks, ARES_GETSOCK_MAXNUM);
        pollfd fds[ARES_GETSOCK_MAXNUM];
        nfds_t n = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(mask, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(mask, i)) events |= POLLOUT;
            if (events) fds[n++] = pollfd{socks[i], events, 0};
        }
        timeval tv{};
        timeval* next = ares_timeout(channel.get(), nullptr, &tv);
        int ms = next ? static_cast<int>(next->tv_sec * 1000 + next->tv_usec / 1000) : 100;
        int ready = ::poll(fds, n, ms);
        if (ready <= 0) {
            ares_process_fd(channel.get(), ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timers
            continue;
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            bool in = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
            bool out = fds[i].revents & POLLOUT;
            ares_process_fd(channel.get(), in ? fds[i].fd : ARES_SOCKET_BAD,
                            out ? fds[i].fd : ARES_SOCKET_BAD);
        }
    }
}

}  // namespace

std::vector<std::string> resolve_txt(const std::string& name, const ResolverOptions& options) {
    init_library();
    AresChannel channel(options);
    Query q;
    ares_query(channel.get(), name.c_str(), ns_c_in, ns_t_txt, on_txt, &q);
    wait(channel, q);
    switch (q.status) {
        case ARES_SUCCESS:
            return std::move(q.records);
        case ARES_ENODATA:
        case ARES_ENOTFOUND:
            return {};
        case ARES_ETIMEOUT:
            throw Error("DNS lookup of '{}' timed out after {} x {} ms", name, options.tries,
                        options.timeout.count());
        default:
            throw Error("DNS lookup of '{}' failed: {}", name, ares_strerror(q.status));
    }
}

}  // namespace netius::net
