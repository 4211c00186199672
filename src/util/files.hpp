#pragma once
// Whole-file input and crash-safe output for the command-line tools.
// All functions run on the calling thread, block, and throw netius::Error on failure with a
// message naming the path and the system error.
#include <string>
#include <string_view>

namespace netius {

/// Limit on any file a tool reads whole (keys, messages): 64 MiB. Larger input is refused.
inline constexpr std::size_t kMaxInputFile = 64u << 20;

/// Reads `path` whole; "-" reads standard input. Refuses more than kMaxInputFile bytes.
std::string read_input(const std::string& path);

struct WriteOptions {
    bool overwrite = true;  // false: fail if `path` already exists
    unsigned mode = 0644;   // permission bits of a newly created file (umask still applies)
};

/// Writes `data` to `path` atomically: a temporary file in the same directory is written,
/// fsynced and renamed over `path`, so readers see the old or the new content, never a mix.
/// "-" writes to standard output instead. On failure the original file is untouched and the
/// temporary file is removed.
void write_output(const std::string& path, std::string_view data, const WriteOptions& options);

/// Writes all of `data` to standard output (retrying short writes).
void write_stdout(std::string_view data);

}  // namespace netius
