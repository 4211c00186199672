#include "net/relay/queue_listing.hpp"

#include <fmt/format.h>

namespace netius::net::relay {

std::string format_age(std::int64_t s) {
    if (s < 0) s = 0;
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{}s", s / 60, s % 60);
    if (s < 86400) return fmt::format("{}h{}m", s / 3600, s % 3600 / 60);
    return fmt::format("{}d{}h", s / 86400, s % 86400 / 3600);
}

std::string format_listing(const std::vector<QueueEntry>& entries, std::int64_t now) {
    if (entries.empty()) return "queue is empty\n";
    std::string out;
    for (const auto& e : entries) {
        out += fmt::format("{}  age {}  from <{}>  {} recipient(s)\n", e.id,
                           format_age(now - e.created), e.sender, e.recipients.size());
        for (const auto& r : e.recipients) {
            std::string next;
            if (r.state == RecipientState::kPending)
                next = r.next_attempt <= now ? "  next: now"
                                             : "  next: in " + format_age(r.next_attempt - now);
            out += fmt::format("    <{}>  {}  attempts {}{}{}\n", r.address, state_name(r.state),
                               r.attempts, next,
                               r.diagnostic.empty() ? "" : "  last: " + r.diagnostic);
        }
    }
    out += fmt::format("{} message(s)\n", entries.size());
    return out;
}

}  // namespace netius::net::relay
