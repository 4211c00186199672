#include "net/smtp/maildir_sink.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>

#include "net/event_loop.hpp"
#include "net/smtp/command_parser.hpp"
#include "util/ascii.hpp"

namespace netius::net::smtp {
namespace {

// Deliveries waiting for a worker beyond this get 451 at once instead of queueing up.
constexpr std::size_t kMaxQueuedDeliveries = 4096;

}  // namespace

std::vector<std::string> parse_domain_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t end = text.find_first_of(";, \t", i);
        std::string_view item = text.substr(i, end == std::string_view::npos ? end : end - i);
        if (!item.empty()) out.push_back(to_lower(item));
        if (end == std::string_view::npos) break;
        i = end + 1;
    }
    return out;
}

MaildirSink::MaildirSink(EventLoop* loop, MaildirStore& store, std::vector<std::string> domains,
                         std::size_t threads)
    : loop_(loop),
      store_(store),
      domains_(std::move(domains)),
      pool_("maildir", threads, kMaxQueuedDeliveries) {
    for (auto& d : domains_) d = to_lower(d);
}

std::optional<Reply> MaildirSink::check_recipient(const Envelope&, std::string_view address) const {
    const std::string_view domain = domain_of(address);
    // RFC 5321 §4.5.1: postmaster is always accepted.
    const bool postmaster = domain.empty() && iequals(address, "postmaster");
    if (!postmaster && !domains_.empty()) {
        const std::string d = to_lower(domain);
        bool found = false;
        for (const auto& allowed : domains_) found = found || allowed == d;
        if (!found) return replies::kDomainRefused;
    }
    if (!store_.accepts_mailbox(address)) return replies::kMailboxNotAllowed;
    return std::nullopt;
}

void MaildirSink::deliver(const Envelope& envelope, std::string trace, std::string content,
                          DeliveryDone done) {
    std::string head = "Return-Path: <" + envelope.sender + ">\r\n" + trace;
    auto job = [this, head = std::move(head), content = std::move(content),
                recipients = envelope.recipients, id = envelope.id, done] {
        std::string error;
        const int err = store_.deliver(head, content, recipients, &error);
        if (err) spdlog::error("{}: not stored: {}", id, error);
        const DeliveryStatus status = err == 0 ? DeliveryStatus::kStored
                                      : (err == ENOSPC || err == EDQUOT)
                                          ? DeliveryStatus::kStorageFull
                                          : DeliveryStatus::kFailed;
        loop_->queue_in_loop([done, status] { done(status); });
    };
    if (!pool_.submit(std::move(job))) {
        spdlog::warn("{}: {} deliveries waiting; refusing this one for now", envelope.id,
                     pool_.pending());
        done(DeliveryStatus::kFailed);
    }
}

}  // namespace netius::net::smtp
