#include "common/policy/bundle_signing.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

TEST(BundleSigningTest, SignVerifyRoundTrip) {
  auto key = GenerateSigningKey();
  ASSERT_TRUE(key.ok()) << key.status();
  v1::PolicyBundle bundle;
  bundle.set_version(3);
  bundle.add_policies()->set_id("p");
  auto signed_bundle = SignBundle(bundle, key->private_key_pem);
  ASSERT_TRUE(signed_bundle.ok()) << signed_bundle.status();
  EXPECT_EQ(signed_bundle->signature().size(), 64u);
  EXPECT_EQ(signed_bundle->key_id(), *SigningKeyId(key->public_key_pem));
  auto verified = VerifyBundle(*signed_bundle, key->public_key_pem);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->version(), 3u);
  EXPECT_EQ(verified->policies(0).id(), "p");
}

TEST(BundleSigningTest, TamperedOrForeignBundlesAreRefused) {
  auto key = GenerateSigningKey();
  auto other = GenerateSigningKey();
  v1::PolicyBundle bundle;
  bundle.set_version(3);
  auto signed_bundle = *SignBundle(bundle, key->private_key_pem);

  v1::SignedPolicyBundle tampered = signed_bundle;
  v1::PolicyBundle changed = bundle;
  changed.set_version(4);
  tampered.set_bundle(changed.SerializeAsString());
  EXPECT_EQ(VerifyBundle(tampered, key->public_key_pem).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::SignedPolicyBundle bad_sig = signed_bundle;
  bad_sig.mutable_signature()->at(0) ^= 1;
  EXPECT_EQ(VerifyBundle(bad_sig, key->public_key_pem).status().code(),
            absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(VerifyBundle(signed_bundle, other->public_key_pem).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(VerifyBundle(signed_bundle, "not a key").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trellis::policy
