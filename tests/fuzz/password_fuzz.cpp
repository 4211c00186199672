// libFuzzer target for password hash strings (`netius auth verify HASH PASSWORD`, and later
// the SMTP auth file): the netius formats plain, <type>:<hex digest> and
// <type>:<hex salt>:<hex digest>.
//
// Input: HASH NUL PASSWORD (no NUL: both are the input). "$argon2" strings are skipped: their
// parsing is libsodium's, and their cost, even within verify_password's bound (1 GiB, 16
// passes), is seconds by design.
// Invariants: verify_password never throws; a string without ':' is a plain password that
// matches itself only; generate_password's output for each digest type, with the input as
// salt, verifies for the password and not for another one.
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/password.hpp"
#include "fuzz_util.hpp"

using namespace netius::crypto;
using netius::fuzz::check;
using netius::fuzz::copy_of;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;
    auto buf = copy_of(std::string_view(reinterpret_cast<const char*>(data), size));
    const std::string_view input(buf.get(), size);
    const std::size_t nul = input.find('\0');
    const std::string_view hash = input.substr(0, nul);
    const std::string_view password = nul == std::string_view::npos ? input : input.substr(nul + 1);
    if (hash.starts_with("$argon2")) return 0;

    (void)verify_password(hash, password);
    if (hash.find(':') == std::string_view::npos) {
        check(verify_password(hash, hash), "a plain password does not match itself");
        check(!verify_password(hash, std::string(hash) + "x"), "a plain password matches more");
    }
    const std::string type = password_types()[1 + (size % (password_types().size() - 2))];
    const std::string made = generate_password(password, type, hash);
    check(verify_password(made, password), "a generated hash does not verify");
    check(!verify_password(made, std::string(password) + "x"), "a generated hash verifies more");
    return 0;
}
