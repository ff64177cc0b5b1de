#include "common/crypto/wireguard_key.h"

#include <openssl/evp.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace trellis::crypto {
namespace {

constexpr size_t kKeyBytes = 32;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

absl::StatusOr<std::string> RawPublic(EVP_PKEY* key) {
  std::string out(kKeyBytes, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kKeyBytes) {
    return absl::InternalError("cannot read the X25519 public key");
  }
  return out;
}

// The X25519 points of small order, as libsodium lists them
// (crypto_scalarmult/curve25519/ref10): 0, 1, two points of order 8, and
// p-1, p, p+1. X25519 ignores the top bit, so they are compared without it.
constexpr unsigned char kLowOrderPoints[][kKeyBytes] = {
    {0},
    {1},
    {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
     0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
     0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
    {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1,
     0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c,
     0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

bool IsLowOrderPoint(const std::string& raw) {
  for (const auto& point : kLowOrderPoints) {
    bool same = (static_cast<unsigned char>(raw[kKeyBytes - 1]) & 0x7f) ==
                point[kKeyBytes - 1];
    for (size_t i = 0; same && i + 1 < kKeyBytes; ++i) {
      same = static_cast<unsigned char>(raw[i]) == point[i];
    }
    if (same) return true;
  }
  return false;
}

}  // namespace

absl::Status ValidateWireGuardKey(absl::string_view key) {
  if (key.size() != 44) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WireGuard key must be 44 base64 characters, got ", key.size()));
  }
  std::string raw;
  if (!absl::Base64Unescape(key, &raw) || raw.size() != kKeyBytes ||
      absl::Base64Escape(raw) != key) {
    return absl::InvalidArgumentError(
        "WireGuard key is not the base64 of 32 bytes");
  }
  return absl::OkStatus();
}

absl::Status ValidateWireGuardPublicKey(absl::string_view key) {
  absl::Status valid = ValidateWireGuardKey(key);
  if (!valid.ok()) return valid;
  std::string raw;
  absl::Base64Unescape(key, &raw);
  if (IsLowOrderPoint(raw)) {
    return absl::InvalidArgumentError(
        "WireGuard public key is a low-order point (such as all zeros) that "
        "no handshake can be completed with; use the output of `wg pubkey`");
  }
  return absl::OkStatus();
}

absl::StatusOr<WireGuardKeyPair> GenerateWireGuardKeyPair() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  if (key == nullptr)
    return absl::InternalError("X25519 key generation failed");
  std::string priv(kKeyBytes, '\0');
  size_t len = priv.size();
  if (EVP_PKEY_get_raw_private_key(
          key.get(), reinterpret_cast<unsigned char*>(priv.data()), &len) !=
          1 ||
      len != kKeyBytes) {
    return absl::InternalError("cannot read the X25519 private key");
  }
  absl::StatusOr<std::string> pub = RawPublic(key.get());
  if (!pub.ok()) return pub.status();
  WireGuardKeyPair pair;
  pair.private_key = absl::Base64Escape(priv);
  pair.public_key = absl::Base64Escape(*pub);
  OPENSSL_cleanse(priv.data(), priv.size());
  return pair;
}

absl::StatusOr<std::string> WireGuardPublicKey(absl::string_view private_key) {
  absl::Status valid = ValidateWireGuardKey(private_key);
  if (!valid.ok()) return valid;
  std::string raw;
  absl::Base64Unescape(private_key, &raw);
  Pkey key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_X25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  OPENSSL_cleanse(raw.data(), raw.size());
  if (key == nullptr) return absl::InvalidArgumentError("not an X25519 key");
  absl::StatusOr<std::string> pub = RawPublic(key.get());
  if (!pub.ok()) return pub.status();
  return absl::Base64Escape(*pub);
}

}  // namespace trellis::crypto
