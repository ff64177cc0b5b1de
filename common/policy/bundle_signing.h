// Policy bundles are signed with the server's Ed25519 policy-signing key
// (separate from the CA) and verified by agents against the key they
// learned at enrolment.
#ifndef TRELLIS_COMMON_POLICY_BUNDLE_SIGNING_H_
#define TRELLIS_COMMON_POLICY_BUNDLE_SIGNING_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/crypto/ed25519.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

using SigningKeyPair = crypto::Ed25519KeyPair;

absl::StatusOr<SigningKeyPair> GenerateSigningKey();

// "sha256:" + first 16 hex of SHA-256(DER public key).
absl::StatusOr<std::string> SigningKeyId(const std::string& public_key_pem);

absl::StatusOr<v1::SignedPolicyBundle> SignBundle(
    const v1::PolicyBundle& bundle, const std::string& private_key_pem);

// PermissionDenied when the signature does not verify with `public_key_pem`
// (tampered, or signed by another key); InvalidArgument when the bytes are
// not a bundle.
absl::StatusOr<v1::PolicyBundle> VerifyBundle(
    const v1::SignedPolicyBundle& signed_bundle,
    const std::string& public_key_pem);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_BUNDLE_SIGNING_H_
