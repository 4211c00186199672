#include "crypto/random.hpp"

#include <sodium.h>

#include <string_view>

#include "util/error.hpp"

namespace netius::crypto {

std::string random_alnum(std::size_t length) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    std::string out(length, '\0');
    for (auto& c : out) c = kAlphabet[randombytes_uniform(kAlphabet.size())];
    return out;
}

}  // namespace netius::crypto
