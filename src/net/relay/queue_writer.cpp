#include "net/relay/queue_writer.hpp"

#include "net/event_loop.hpp"

namespace netius::net::relay {

QueueWriter::QueueWriter(EventLoop* loop, const char* name, std::size_t threads,
                         std::size_t max_queued)
    : loop_(loop), pool_(name, threads, max_queued) {}

QueueWriter::~QueueWriter() = default;

bool QueueWriter::submit(Job job, Done done) {
    return pool_.submit([loop = loop_, alive = std::weak_ptr<char>(alive_), job = std::move(job),
                         done = std::move(done)]() mutable {
        std::string error;
        const int err = job(&error);
        loop->queue_in_loop([alive, err, done = std::move(done)] {
            if (!alive.expired()) done(err);
        });
    });
}

}  // namespace netius::net::relay
