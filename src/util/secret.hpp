#pragma once
// Reading secrets (passwords, passphrases) without putting them on the command line.
// Blocking; call from the main thread only (changes terminal modes).
#include <string>

namespace netius {

/// Reads one line (without its line ending) from standard input. When stdin is a terminal the
/// prompt goes to stderr and echo is off while typing. Throws netius::Error at end of input
/// without a line, or on a read error. Lines over 4096 bytes are refused.
std::string read_secret_line(const std::string& prompt);

/// The first line of `path` (without its line ending): the --passphrase-file convention of
/// openssl and gpg. Throws netius::Error when the file cannot be read.
std::string read_secret_file(const std::string& path);

}  // namespace netius
