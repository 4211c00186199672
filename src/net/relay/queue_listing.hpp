#pragma once
// The text of `netius serve relay --list-queue`: one block per message (id, age, sender,
// size of the recipient list), one line per recipient (state, attempts, next attempt, last
// diagnostic). Pure; any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "net/relay/queue_entry.hpp"

namespace netius::net::relay {

/// "3h12m", "45s", "2d4h": a duration for people.
std::string format_age(std::int64_t seconds);

/// The listing of `entries` at time `now` (unix seconds); "queue is empty\n" when empty.
std::string format_listing(const std::vector<QueueEntry>& entries, std::int64_t now);

}  // namespace netius::net::relay
