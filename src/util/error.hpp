#pragma once
// netius::Error — the one exception type of setup code and tools. main.cpp turns it into
// `netius: <command>: <what>` on stderr and exit status 1. Loop callbacks never throw it.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace netius {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}

    template <typename... Args>
    explicit Error(fmt::format_string<Args...> f, Args&&... args)
        : std::runtime_error(fmt::format(f, std::forward<Args>(args)...)) {}
};

/// "<call>: <strerror(err)>", the house format for failed system calls.
std::string errno_message(const std::string& call, int err);

}  // namespace netius

namespace netius {

/// A command-line mistake found after parsing (e.g. two options that exclude each other):
/// main.cpp prints it like a CLI11 parse error and exits with status 2.
class UsageError : public Error {
public:
    using Error::Error;
};

/// Ends a command with `code` and no further message (the command already printed what the
/// user needs, e.g. `dkim verify` printing "fail (...)" lines before exiting 1).
struct ExitStatus {
    int code;
};

}  // namespace netius
