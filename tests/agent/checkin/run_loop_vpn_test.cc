// The run loop's VPN duties without a server: the check-in fails (nothing
// listens), so the loop restores the last stored assignment, then runs the
// watchdog on the injected clock between attempts.
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/checkin/run_loop.h"
#include "agent/state/local_error.h"
#include "common/crypto/pki.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::SizeIs;

class RunLoopVpnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time now = clock_.Now();
    auto ca =
        crypto::CertificateAuthority::Create("test CA", now, absl::Hours(48));
    ASSERT_TRUE(ca.ok());
    auto key = crypto::GenerateKeyPair();
    ASSERT_TRUE(key.ok());
    crypto::CertRequest request;
    request.public_key_pem = key->public_key_pem;
    request.common_name = "dabcdef";
    request.organizational_unit = "device";
    request.not_before = now - absl::Minutes(1);
    request.not_after = now + absl::Hours(24);
    auto cert = ca->Issue(request);
    ASSERT_TRUE(cert.ok());
    ASSERT_TRUE(
        state_.SaveIdentity(key->private_key_pem, *cert, ca->certificate_pem())
            .ok());
    AgentRecord record;
    record.server_address = "127.0.0.1:1";  // nothing listens there
    record.device_id = "dabcdef";
    record.ownership = "corporate";
    record.enrolled_at = now;
    ASSERT_TRUE(state_.SaveRecord(record).ok());
  }

  void StoreAssignment(const v1::VpnAssignment& assignment) {
    v1::CheckInResponse last;
    *last.mutable_vpn() = assignment;
    ASSERT_TRUE(WriteFileAtomic(state_.LastCheckInPath(),
                                last.SerializeAsString(), 0600)
                    .ok());
  }

  RunOptions Options() {
    RunOptions options;
    options.timing.initial_backoff = absl::Seconds(20);
    options.timing.max_backoff = absl::Seconds(20);
    options.rpc_timeout = absl::Seconds(2);
    options.max_attempts = 2;
    return options;
  }

  testing::TempDir dir_;
  AgentState state_{dir_.path()};
  FakeClock clock_;
  vpn_testing::FakeSystem system_;
  FakeCommandRunner runner_;
  DeviceProbe probe_{&system_, &runner_, &clock_, {}, v1::PLATFORM_LINUX};
  vpn_testing::FakeProber prober_;
  vpn_testing::RecordingController controller_;
  VpnEnforcer vpn_{state_, &system_, &prober_, &controller_, nullptr, &clock_};
};

TEST_F(RunLoopVpnTest, WatchdogRunsBetweenAttemptsOnTheInjectedClock) {
  StoreAssignment(vpn_testing::FullAssignment());
  std::vector<absl::Duration> sleeps;
  RunLoop loop(
      state_, &probe_,
      [&](absl::Duration d) {
        sleeps.push_back(d);
        clock_.Advance(d);
        return true;
      },
      [] { return 0.5; });
  loop.set_vpn(&vpn_);
  absl::Status s = loop.Run(Options());
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  // The key was made and the stored assignment applied at the first failure.
  EXPECT_TRUE(FileExists(state_.WireGuardKeyPath()));
  ASSERT_GE(sleeps.size(), 2u);
  EXPECT_THAT(sleeps, Each(Le(absl::Seconds(5))));
  absl::Duration total;
  for (absl::Duration d : sleeps) total += d;
  EXPECT_EQ(total, absl::Seconds(15));  // 20 s back-off, equal jitter at 0.5
  // One apply after the failed check-in, one per watchdog wake-up before
  // the back-off ended.
  EXPECT_THAT(controller_.applied, SizeIs(sleeps.size()));
  EXPECT_TRUE(controller_.applied.back().up);
}

TEST_F(RunLoopVpnTest, StoppingTakesAnUntrustedOnlyTunnelDown) {
  v1::VpnAssignment a = vpn_testing::FullAssignment();
  a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  a.mutable_profile()->mutable_trusted_networks()->add_dns_search_domains(
      "office.corp.example");
  StoreAssignment(a);
  RunLoop loop(
      state_, &probe_, [](absl::Duration) { return false; },
      [] { return 0.5; });
  loop.set_vpn(&vpn_);
  RunOptions options = Options();
  options.max_attempts = 0;
  EXPECT_TRUE(loop.Run(options).ok());
  ASSERT_THAT(controller_.applied, SizeIs(2));
  EXPECT_TRUE(controller_.applied[0].up);
  EXPECT_FALSE(controller_.applied[1].up);
}

TEST_F(RunLoopVpnTest, NoVpnSendsNoKeyAndTouchesNothing) {
  StoreAssignment(vpn_testing::FullAssignment());
  RunLoop loop(
      state_, &probe_, [](absl::Duration) { return true; }, [] { return 0.5; });
  RunOptions options = Options();
  options.use_vpn = false;
  options.max_attempts = 1;
  EXPECT_FALSE(loop.Run(options).ok());
  EXPECT_FALSE(FileExists(state_.WireGuardKeyPath()));
  EXPECT_THAT(controller_.applied, SizeIs(0));
}

TEST_F(RunLoopVpnTest, UnwritableStateIsRetriedAndNeverTakesTheTunnelDown) {
  StoreAssignment(vpn_testing::FullAssignment());
  // Every state write fails as the OS says EACCES (root ignores chmod).
  state_.set_file_writer([](const std::string& path, const std::string&, int) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", path, ".tmp: Permission denied"));
  });
  int sleeps = 0;
  RunLoop loop(
      state_, &probe_,
      [&](absl::Duration d) {
        ++sleeps;
        clock_.Advance(d);
        return true;
      },
      [] { return 0.5; });
  loop.set_vpn(&vpn_);
  RunOptions options = Options();
  options.max_attempts = 3;
  absl::Status s = loop.Run(options);
  // No check-in went out with a number that could not be saved; the cycle
  // failed with a local error naming the file, and was retried.
  EXPECT_TRUE(IsLocalError(s)) << s;
  EXPECT_FALSE(absl::IsPermissionDenied(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr(state_.RecordPath()));
  EXPECT_GE(sleeps, 2);
  EXPECT_EQ(state_.LoadRecord()->next_sequence, 1u);
  // The tunnel was never taken down.
  ASSERT_FALSE(controller_.applied.empty());
  for (const TunnelPlan& plan : controller_.applied) EXPECT_TRUE(plan.up);
}

}  // namespace
}  // namespace trellis::agent
