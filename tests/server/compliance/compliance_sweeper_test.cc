#include "server/compliance/compliance_sweeper.h"

#include <memory>

#include "gtest/gtest.h"
#include "server/compliance/staleness.h"
#include "tests/server/vpn/vpn_test_env.h"

namespace trellis::server {
namespace {

constexpr absl::Duration kWindow = absl::Minutes(15);
constexpr absl::Duration kGrace = absl::Minutes(10);

TEST(StalenessRuleTest, NobodyIsStaleDuringTheRestartGrace) {
  const absl::Time started = kVpnT0 + absl::Hours(1);
  StalenessRule rule(kWindow, kGrace, started);
  EXPECT_EQ(rule.StaleBefore(started), absl::InfinitePast());
  EXPECT_EQ(rule.StaleBefore(started + kGrace - absl::Seconds(1)),
            absl::InfinitePast());
  EXPECT_EQ(rule.StaleBefore(started + kGrace), started + kGrace - kWindow);
  EXPECT_EQ(rule.StaleBefore(started + absl::Hours(2)),
            started + absl::Hours(2) - kWindow);
  // No grace: the window alone, from the first moment.
  EXPECT_EQ(StalenessRule(kWindow, absl::ZeroDuration(), started)
                .StaleBefore(started),
            started - kWindow);
}

TEST(StalenessRuleTest, DefaultGraceIsOneIntervalPlusTheAgentBackoff) {
  EXPECT_EQ(DefaultRestartGrace(absl::Minutes(5)), absl::Minutes(10));
  EXPECT_EQ(DefaultRestartGrace(absl::Seconds(1)),
            absl::Seconds(1) + absl::Minutes(5));
}

class ComplianceSweeperTest : public ::testing::Test {
 protected:
  // A compliant device with a gateway peer, last seen at kVpnT0.
  void SetUp() override {
    device_ = env_.AddDevice("dev-a");
    device_.last_seen_at = kVpnT0;
    ASSERT_TRUE(env_.Save(device_).ok());
    ASSERT_EQ(env_.Peers().size(), 1u);
  }

  v1::ComplianceState StateOf(const std::string& id) {
    v1::ComplianceState state = v1::COMPLIANCE_STATE_UNSPECIFIED;
    EXPECT_TRUE(env_.store()
                    .Read([&](StoreReader& r) -> absl::Status {
                      auto d = r.GetDevice(id);
                      if (!d.ok()) return d.status();
                      state = (*d)->compliance_state;
                      return absl::OkStatus();
                    })
                    .ok());
    return state;
  }

  // The server (re)started at `started`, which is now.
  ComplianceSweeper& StartedAt(absl::Time started) {
    clock_.Set(started);
    sweeper_ = std::make_unique<ComplianceSweeper>(
        &env_.store(), &clock_, StalenessRule(kWindow, kGrace, started),
        &env_.sync());
    return *sweeper_;
  }

  VpnTestEnv env_;
  DeviceRecord device_;
  FakeClock clock_;
  std::unique_ptr<ComplianceSweeper> sweeper_;
};

// The server was down for an hour, four times the validity window. Right
// after it starts again, the device has not been silent while anyone was
// listening: it keeps its state and its gateway peer.
TEST_F(ComplianceSweeperTest, DowntimeLongerThanTheWindowIsNotSilence) {
  ComplianceSweeper& sweeper = StartedAt(kVpnT0 + absl::Hours(1));
  clock_.Advance(absl::Seconds(1));
  ASSERT_EQ(*sweeper.SweepOnce(), 0);
  EXPECT_EQ(StateOf("dev-a"), v1::COMPLIANCE_STATE_COMPLIANT);
  EXPECT_EQ(env_.Peers().size(), 1u);
  clock_.Advance(kGrace - absl::Seconds(2));
  ASSERT_EQ(*sweeper.SweepOnce(), 0);
  EXPECT_EQ(StateOf("dev-a"), v1::COMPLIANCE_STATE_COMPLIANT);
}

// A device that does not come back within the grace goes stale when the
// grace ends, and loses its peer in the same write.
TEST_F(ComplianceSweeperTest, StaleWhenTheRestartGraceEnds) {
  ComplianceSweeper& sweeper = StartedAt(kVpnT0 + absl::Hours(1));
  clock_.Advance(kGrace);
  ASSERT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(StateOf("dev-a"), v1::COMPLIANCE_STATE_STALE);
  EXPECT_TRUE(env_.Peers().empty());
}

// A device that checks in during the grace is judged by its new check-in.
TEST_F(ComplianceSweeperTest, CheckInDuringTheGraceCountsFromThere) {
  ComplianceSweeper& sweeper = StartedAt(kVpnT0 + absl::Hours(1));
  clock_.Advance(absl::Minutes(2));
  device_.last_seen_at = clock_.Now();
  ASSERT_TRUE(env_.Save(device_).ok());
  clock_.Advance(kGrace);
  ASSERT_EQ(*sweeper.SweepOnce(), 0);
  clock_.Advance(kWindow);
  ASSERT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(StateOf("dev-a"), v1::COMPLIANCE_STATE_STALE);
}

// Without a restart in between, the validity window alone decides.
TEST_F(ComplianceSweeperTest, SilentPastTheWindowWhileRunningIsStale) {
  ComplianceSweeper& sweeper = StartedAt(kVpnT0 - absl::Hours(1));
  clock_.Set(kVpnT0);
  clock_.Advance(kWindow);
  ASSERT_EQ(*sweeper.SweepOnce(), 0);
  clock_.Advance(absl::Seconds(1));
  ASSERT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(StateOf("dev-a"), v1::COMPLIANCE_STATE_STALE);
}

}  // namespace
}  // namespace trellis::server
