#pragma once
// The result vocabulary of the pure HTTP parsers (architecture rule 6).
#include <cstddef>
#include <string_view>
#include <variant>

#include "net/http/status.hpp"

namespace netius::net::http {

/// The request cannot be served: answer `status` (with a generic body; `reason` is for logs
/// only, a static string) and close the connection.
struct ParseError {
    Status status;
    std::string_view reason;  // e.g. "obs-fold"
    friend bool operator==(const ParseError&, const ParseError&) = default;
};

/// More bytes are needed: call again once they arrived (the input so far stays valid).
struct Incomplete {
    friend bool operator==(const Incomplete&, const Incomplete&) = default;
};

/// Done; `consumed` bytes of the input belong to what was parsed, the rest is the next thing.
struct Complete {
    std::size_t consumed;
    friend bool operator==(const Complete&, const Complete&) = default;
};

using ParseResult = std::variant<Complete, Incomplete, ParseError>;

}  // namespace netius::net::http
