#include "agent/vpn/vpn_status_file.h"

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

TEST(VpnStatusFileTest, RoundTripsAndKeepsOneLinePerValue) {
  testing::TempDir dir;
  AgentState state(dir.path());
  EXPECT_TRUE(absl::IsNotFound(LoadVpnStatus(state).status()));
  VpnStatusRecord r;
  r.tunnel = "up";
  r.reason = "full access through Council VPN (always on)";
  r.trusted_network = "no";
  r.trusted_detail = "search domains: home.lan";
  r.controller = "interface trellis0";
  r.error = "line one\nline two";
  r.notes = "DNS not applied: resolvectl is not installed";
  r.updated_at = absl::FromUnixSeconds(1767225600);
  ASSERT_TRUE(SaveVpnStatus(state, r).ok());
  auto loaded = LoadVpnStatus(state);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->tunnel, "up");
  EXPECT_EQ(loaded->reason, r.reason);
  EXPECT_EQ(loaded->trusted_network, "no");
  EXPECT_EQ(loaded->trusted_detail, r.trusted_detail);
  EXPECT_EQ(loaded->controller, r.controller);
  EXPECT_EQ(loaded->error, "line one line two");
  EXPECT_EQ(loaded->notes, r.notes);
  EXPECT_EQ(loaded->updated_at, r.updated_at);
}

}  // namespace
}  // namespace trellis::agent
