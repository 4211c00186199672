#pragma once
// Password hashes: libsodium argon2id strings (the default) and the netius formats
//   plain                      the password itself
//   <type>:<hex(salt)>:<hex(H(password || salt))>
//   <type>:<hex(H(password))>  (empty salt)
// where <type> is a digest name as Python's hashlib spells it (md5, sha1, sha256, sha3_256,
// blake2b, ...). Thread-safe; blocking (argon2id takes about a second by design).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netius::crypto {

/// The TYPE names generate_password() accepts: "argon2id", the digest names, "plain".
std::vector<std::string> password_types();

/// Hashes `password`. TYPE "argon2id" uses crypto_pwhash_str with libsodium's MODERATE limits
/// (the salt is inside the string; `salt` must be unset). Digest types append `salt` to the
/// password, or a random 16-character alphanumeric salt when unset — byte-identical to
/// netius for a given salt. Throws netius::Error for an unknown type or when argon2id cannot
/// get its memory.
std::string generate_password(std::string_view password, std::string_view type = "argon2id",
                              std::optional<std::string_view> salt = std::nullopt);

/// True when `password` matches `encoded` (any format above, also "$argon2i$" strings; an
/// argon2 string that asks for more than 1 GiB or 16 passes does not match: it names its own
/// cost).
/// Digest comparison is constant-time and hex is accepted in either case. A string that is
/// not a well-formed hash of a known type is compared as a plain password (so plain passwords
/// may contain ':'). Never throws for malformed input: it simply does not match.
bool verify_password(std::string_view encoded, std::string_view password);
/// verify_password() for a user who may not exist (`encoded` null): an unknown user's check
/// costs the same argon2 time, against `decoy` (an argon2id hash made there on first use), and
/// fails, so the time taken does not tell which users exist. Throws std::bad_alloc (argon2's
/// memory) like verify_password may fail: callers treat that as a failed check.
bool verify_password_or_decoy(const std::string* encoded, std::string_view password,
                              std::string& decoy);

/// A 32-byte digest of (`scope`, `user`, `password`) that stands for a check that succeeded,
/// to remember it without keeping the password (a cache of verify_password results: argon2
/// costs a second per check). Keyed BLAKE2b (libsodium's crypto_generichash) with a key drawn
/// at random once per process: the value means nothing outside the process and cannot be
/// tested offline against guessed passwords. The parts are length-prefixed, so no two
/// different triples share an input. Throws netius::Error only when libsodium cannot
/// initialise; any thread.
std::string credential_digest(std::string_view scope, std::string_view user,
                              std::string_view password);

}  // namespace netius::crypto
