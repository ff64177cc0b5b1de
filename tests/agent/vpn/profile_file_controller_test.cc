#include "agent/vpn/profile_file_controller.h"

#include "agent/vpn/wg_quick_config.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

constexpr char kPrivate[] = "uKyeOOjTcGiDmVWpdMZuL4+XxzXnG2tyUQOjcQkovWo=";

class ProfileFileControllerTest : public ::testing::Test {
 protected:
  ProfileFileController Controller(ProfileFormat format) {
    ProfileFileOptions options;
    options.dir = dir_.File("vpn");
    options.name = "trellis0";
    options.format = format;
    options.private_key = kPrivate;
    options.device_id = "dabcdef";
    return ProfileFileController(options);
  }
  testing::TempDir dir_;
};

TEST_F(ProfileFileControllerTest, WritesWgQuickFileOnceWith0600) {
  ProfileFileController controller = Controller(ProfileFormat::kWgQuick);
  TunnelPlan plan =
      PlanTunnel(vpn_testing::FullAssignment(), TrustedNetworkResult());
  auto first = controller.Apply(plan);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->changed);
  EXPECT_EQ(controller.Path(), dir_.File("vpn/trellis0.conf"));
  EXPECT_EQ(*ReadFile(controller.Path()), RenderWgQuickConfig(plan, kPrivate));
  EXPECT_EQ(*FileMode(controller.Path()), 0600);
  EXPECT_FALSE(controller.Apply(plan)->changed);
  EXPECT_TRUE(controller.Observe().present);
}

TEST_F(ProfileFileControllerTest, KeepsFileOnTrustedNetworkRemovesOnNoAccess) {
  ProfileFileController controller =
      Controller(ProfileFormat::kAppleMobileconfig);
  v1::VpnAssignment a = vpn_testing::FullAssignment();
  a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  a.mutable_profile()->mutable_trusted_networks()->add_dns_search_domains(
      "corp.example");
  TrustedNetworkResult trusted;
  trusted.evaluated = trusted.trusted = true;
  ASSERT_TRUE(controller.Apply(PlanTunnel(a, trusted)).ok());
  EXPECT_EQ(controller.Path(), dir_.File("vpn/trellis0.mobileconfig"));
  EXPECT_THAT(*ReadFile(controller.Path()), HasSubstr("com.apple.vpn.managed"));
  a.set_access(v1::VPN_ACCESS_NONE);
  auto removed = controller.Apply(PlanTunnel(a, trusted));
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed->changed);
  EXPECT_FALSE(FileExists(controller.Path()));
  EXPECT_FALSE(controller.Apply(PlanTunnel(a, trusted))->changed);
}

}  // namespace
}  // namespace trellis::agent
