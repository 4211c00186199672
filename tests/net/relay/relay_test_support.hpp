#pragma once
// Shared by the relay unit tests: a queued recipient in one call, every field defaulted.
#include <cstdint>
#include <string>
#include <utility>

#include "net/relay/queue_entry.hpp"

namespace netius::net::relay::test {

inline QueuedRecipient rcpt(std::string address, RecipientState state = RecipientState::kPending,
                            int attempts = 0, std::int64_t next = 0, int code = 0,
                            std::string enhanced = "", std::string remote = "",
                            std::string diagnostic = "") {
    return {
        std::move(address),   state, attempts, next, code, std::move(enhanced), std::move(remote),
        std::move(diagnostic)};
}

}  // namespace netius::net::relay::test
