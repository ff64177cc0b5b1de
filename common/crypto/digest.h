// Hashes, constant-time comparison and secure randomness.
#ifndef TRELLIS_COMMON_CRYPTO_DIGEST_H_
#define TRELLIS_COMMON_CRYPTO_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"

namespace trellis::crypto {

// Raw 32-byte SHA-256 digest.
std::string Sha256(absl::string_view data);

// Compares two byte strings without an early exit on the first difference.
// Strings of different lengths compare unequal (length is not secret here).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// `n` bytes from the OS CSPRNG (OpenSSL RAND_bytes). Aborts the process if
// the CSPRNG fails: continuing without randomness would mint guessable
// secrets.
std::string RandomBytes(size_t n);

}  // namespace trellis::crypto

#endif  // TRELLIS_COMMON_CRYPTO_DIGEST_H_
