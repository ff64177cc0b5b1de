#include "gateway/access/quarantine_firewall.h"

#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const QuarantineSet kOnePeer = {{"A", {"10.200.0.7/32"}, {"10.1.0.0/16"}}};

class QuarantineFirewallTest : public ::testing::Test {
 protected:
  std::string dir() const { return temp_.File("nft"); }
  std::string command() const {
    return "nft -f " + temp_.File("nft/trellis_wg0.nft");
  }

  trellis::testing::TempDir temp_;
  FakeCommandRunner runner_;
};

TEST_F(QuarantineFirewallTest, LoadsRulesetFileOnlyWhenChanged) {
  runner_.Set(command(), CommandResult{});
  QuarantineFirewall firewall("wg0", &runner_, dir());
  EXPECT_EQ(firewall.rules_path(), temp_.File("nft/trellis_wg0.nft"));
  ASSERT_TRUE(firewall.Enforce(kOnePeer).ok());
  EXPECT_EQ(*ReadFile(firewall.rules_path()),
            RenderQuarantineRuleset("wg0", kOnePeer));
  EXPECT_EQ(*FileMode(firewall.rules_path()), 0600);
  // Unchanged: no second load.
  ASSERT_TRUE(firewall.Enforce(kOnePeer).ok());
  EXPECT_FALSE(firewall.NeedsUpdate(kOnePeer));
  // No quarantined peers left: the table goes.
  ASSERT_TRUE(firewall.Enforce({}).ok());
  EXPECT_EQ(*ReadFile(firewall.rules_path()), RenderTableRemoval("wg0"));
  EXPECT_THAT(runner_.calls(), ElementsAre(command(), command()));
}

TEST_F(QuarantineFirewallTest, FirstCallAlwaysLoadsToClearLeftovers) {
  runner_.Set(command(), CommandResult{});
  QuarantineFirewall firewall("wg0", &runner_, dir());
  EXPECT_TRUE(firewall.NeedsUpdate({}));
  ASSERT_TRUE(firewall.Enforce({}).ok());
  EXPECT_EQ(runner_.calls().size(), 1u);
}

TEST_F(QuarantineFirewallTest, MissingNftIsNamed) {
  QuarantineFirewall firewall("wg0", &runner_, dir());  // nft unknown
  absl::Status enforced = firewall.Enforce(kOnePeer);
  EXPECT_EQ(enforced.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(enforced.message(), HasSubstr("nft (package nftables) is not "
                                            "installed"));
  EXPECT_TRUE(firewall.NeedsUpdate(kOnePeer));
  // Nothing quarantined needs no nft, so that is not an error.
  EXPECT_TRUE(firewall.Enforce({}).ok());
  EXPECT_FALSE(firewall.NeedsUpdate({}));
}

TEST_F(QuarantineFirewallTest, NftFailureCarriesStderrAndRetries) {
  CommandResult failed;
  failed.exit_code = 1;
  failed.stderr_text =
      "Error: Could not process rule: Operation not permitted\n";
  runner_.Set(command(), failed);
  QuarantineFirewall firewall("wg0", &runner_, dir());
  absl::Status enforced = firewall.Enforce(kOnePeer);
  EXPECT_THAT(enforced.message(),
              HasSubstr("failed (exit 1): Error: Could not process rule"));
  // The kernel state is unknown, so the same set is loaded again next time.
  runner_.Set(command(), CommandResult{});
  EXPECT_TRUE(firewall.Enforce(kOnePeer).ok());
  EXPECT_EQ(runner_.calls().size(), 2u);
}

}  // namespace
}  // namespace trellis::gateway
