#include "common/crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace trellis::crypto {
namespace {

// Crypto primitives failing means the process cannot be trusted to go on
// (e.g. an OpenSSL provider failed to load); report why and stop.
[[noreturn]] void Die(const char* what) {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  std::fprintf(stderr, "trellis: fatal: %s failed: %s\n", what, buf);
  std::abort();
}

}  // namespace

std::string Sha256(absl::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(),
                 reinterpret_cast<unsigned char*>(out.data()), &len,
                 EVP_sha256(), nullptr) != 1 ||
      len != SHA256_DIGEST_LENGTH) {
    Die("EVP_Digest(SHA-256)");
  }
  return out;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  // RAND_bytes takes an int length; fill large requests in chunks.
  size_t done = 0;
  while (done < n) {
    const size_t chunk = std::min<size_t>(n - done, INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()) + done,
                   static_cast<int>(chunk)) != 1) {
      Die("RAND_bytes");
    }
    done += chunk;
  }
  return out;
}

}  // namespace trellis::crypto
