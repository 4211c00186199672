#pragma once
// Random text from libsodium's CSPRNG (salts, multipart boundaries). Any thread.
#include <cstddef>
#include <string>

namespace netius::crypto {

/// `length` characters drawn uniformly from A-Z, a-z and 0-9. Throws netius::Error when
/// libsodium cannot initialise.
std::string random_alnum(std::size_t length);

}  // namespace netius::crypto
