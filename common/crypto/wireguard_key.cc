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
