// Hashes, MACs, randomness and authenticated encryption (OpenSSL 3).
// Pure functions; thread-safe.
#ifndef SWASD_BASE_CRYPTO_H_
#define SWASD_BASE_CRYPTO_H_

#include <optional>
#include <string>
#include <string_view>

namespace swasd::crypto {

// Raw digests (binary bytes).
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view data);

// Lowercase hex SHA-256, as x-acs-content-sha256 carries it.
std::string Sha256Hex(std::string_view data);

// Compares in time that depends only on the lengths, never on the contents,
// so a signature check leaks nothing about where a guess first differs.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// n bytes from the OS CSPRNG. Aborts if the CSPRNG fails (no safe fallback).
std::string RandomBytes(size_t n);

// AES-256-GCM with a random 96-bit nonce. Output: nonce || ciphertext || tag.
// REQUIRES: key.size() == 32.
std::string Seal(std::string_view key, std::string_view plaintext,
                 std::string_view associated_data);
// Returns nullopt when the box was tampered with or the key is wrong.
std::optional<std::string> Open(std::string_view key, std::string_view box,
                                std::string_view associated_data);

}  // namespace swasd::crypto

#endif  // SWASD_BASE_CRYPTO_H_
