#include "agent/vpn/wireguard_identity.h"

#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

TEST(WireGuardIdentityTest, MadeOnceKeptAndPrivate) {
  testing::TempDir dir;
  AgentState state(dir.File("agent"));
  EXPECT_TRUE(absl::IsNotFound(LoadWireGuardKey(state).status()));
  auto made = LoadOrCreateWireGuardKey(state);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_TRUE(crypto::ValidateWireGuardKey(made->public_key).ok());
  EXPECT_EQ(*FileMode(state.WireGuardKeyPath()), 0600);
  EXPECT_EQ(*ReadFile(state.WireGuardKeyPath()), made->private_key + "\n");
  auto again = LoadOrCreateWireGuardKey(state);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key, made->public_key);
  EXPECT_EQ(*crypto::WireGuardPublicKey(again->private_key), made->public_key);
}

TEST(WireGuardIdentityTest, DamagedKeyFileIsNotReplaced) {
  testing::TempDir dir;
  AgentState state(dir.path());
  ASSERT_TRUE(
      WriteFileAtomic(state.WireGuardKeyPath(), "garbage\n", 0600).ok());
  auto loaded = LoadOrCreateWireGuardKey(state);
  EXPECT_TRUE(absl::IsDataLoss(loaded.status()));
  EXPECT_THAT(loaded.status().message(), HasSubstr("wireguard.key"));
  EXPECT_EQ(*ReadFile(state.WireGuardKeyPath()), "garbage\n");
}

}  // namespace
}  // namespace trellis::agent
