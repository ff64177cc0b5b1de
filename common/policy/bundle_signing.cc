#include "common/policy/bundle_signing.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/ed25519.h"

namespace trellis::policy {
namespace {

// Names the key in errors, which would otherwise only say "the key".
absl::Status AsPolicyKeyError(const absl::Status& s) {
  if (!absl::IsInvalidArgument(s)) return s;
  return absl::InvalidArgumentError(
      absl::StrCat("policy-signing key: ", s.message()));
}

}  // namespace

absl::StatusOr<SigningKeyPair> GenerateSigningKey() {
  return crypto::GenerateEd25519Key();
}

absl::StatusOr<std::string> SigningKeyId(const std::string& public_key_pem) {
  auto id = crypto::Ed25519KeyId(public_key_pem);
  if (!id.ok()) return AsPolicyKeyError(id.status());
  return id;
}

absl::StatusOr<v1::SignedPolicyBundle> SignBundle(
    const v1::PolicyBundle& bundle, const std::string& private_key_pem) {
  v1::SignedPolicyBundle out;
  if (!bundle.SerializeToString(out.mutable_bundle())) {
    return absl::InternalError("cannot serialize the bundle");
  }
  auto sig = crypto::Ed25519Sign(out.bundle(), private_key_pem);
  if (!sig.ok()) return AsPolicyKeyError(sig.status());
  out.set_signature(*std::move(sig));
  auto pub = crypto::Ed25519PublicKey(private_key_pem);
  if (!pub.ok()) return pub.status();
  auto id = SigningKeyId(*pub);
  if (!id.ok()) return id.status();
  out.set_key_id(*id);
  return out;
}

absl::StatusOr<v1::PolicyBundle> VerifyBundle(
    const v1::SignedPolicyBundle& signed_bundle,
    const std::string& public_key_pem) {
  absl::Status verified = crypto::Ed25519Verify(
      signed_bundle.bundle(), signed_bundle.signature(), public_key_pem);
  if (absl::IsPermissionDenied(verified)) {
    return absl::PermissionDeniedError(
        "policy bundle signature does not verify with the pinned "
        "policy-signing key (tampered, or signed by another server)");
  }
  if (!verified.ok()) return AsPolicyKeyError(verified);
  v1::PolicyBundle bundle;
  if (!bundle.ParseFromString(signed_bundle.bundle())) {
    return absl::InvalidArgumentError("signed policy bundle is malformed");
  }
  return bundle;
}

}  // namespace trellis::policy
