#include "common/policy/applies_to.h"

#include "common/policy/evaluator.h"
#include "common/policy/vpn_profile_validation.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

TEST(AppliesToDeviceTest, EmptyListsMatchAnyDevice) {
  v1::AppliesTo any;
  EXPECT_TRUE(AppliesToDevice(any, {}));
  EXPECT_TRUE(AppliesToDevice(
      any, {v1::PLATFORM_IOS, v1::OWNERSHIP_PERSONAL, "whoever"}));
}

TEST(AppliesToDeviceTest, EveryNonEmptyListMustNameTheDevice) {
  v1::AppliesTo a;
  a.add_platforms(v1::PLATFORM_LINUX);
  a.add_platforms(v1::PLATFORM_MACOS);
  a.add_ownership(v1::OWNERSHIP_CORPORATE);
  a.add_groups("staff");
  EXPECT_TRUE(AppliesToDevice(
      a, {v1::PLATFORM_MACOS, v1::OWNERSHIP_CORPORATE, "staff"}));
  EXPECT_FALSE(AppliesToDevice(
      a, {v1::PLATFORM_WINDOWS, v1::OWNERSHIP_CORPORATE, "staff"}));
  EXPECT_FALSE(AppliesToDevice(
      a, {v1::PLATFORM_LINUX, v1::OWNERSHIP_PERSONAL, "staff"}));
  EXPECT_FALSE(AppliesToDevice(
      a, {v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "finance"}));
}

// Policies and VPN profiles written for the same audience reach the same
// devices.
TEST(AppliesToDeviceTest, PoliciesAndProfilesShareTheRule) {
  v1::AppliesTo a;
  a.add_platforms(v1::PLATFORM_WINDOWS);
  a.add_groups("finance");
  v1::Policy policy;
  *policy.mutable_applies_to() = a;
  v1::PolicyBundle bundle;
  *bundle.add_vpn_profiles()->mutable_applies_to() = a;
  for (v1::Platform platform : {v1::PLATFORM_LINUX, v1::PLATFORM_WINDOWS}) {
    for (v1::Ownership ownership :
         {v1::OWNERSHIP_CORPORATE, v1::OWNERSHIP_PERSONAL}) {
      for (const char* group : {"finance", "staff"}) {
        DeviceContext device{platform, ownership, group};
        EXPECT_EQ(
            Applies(policy, nullptr, device),
            SelectVpnProfile(bundle, platform, ownership, group) != nullptr);
      }
    }
  }
}

}  // namespace
}  // namespace trellis::policy
