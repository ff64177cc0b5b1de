#include "agent/diagnostics/consent.h"

#include "agent/diagnostics/catalogue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/diagnostics/diagnostics_test_util.h"

namespace trellis::agent::diagnostics {
namespace {

using testing::DiagnosticsHarness;
using ::testing::HasSubstr;

class ConsentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // agent-log-tail is detailed; its command is recorded.
    h_.Command("journalctl -u trellis-agent -n 100 --no-pager -o short-iso",
               "2026-01-01T00:00:00+0000 host trellis-agent[1]: started\n");
  }
  DiagnosticsHarness h_;
};

TEST_F(ConsentTest, PersonalDeviceRefusesDetailedWithoutConsent) {
  h_.Enrol("personal");
  auto out = h_.Run("agent-log-tail");
  EXPECT_EQ(out.result.state, RunState::kRefused);
  EXPECT_THAT(out.result.message,
              HasSubstr("the employee has not allowed detailed diagnostics on "
                        "this personal device; they can run 'trellis-agent "
                        "consent grant'"));
  EXPECT_TRUE(out.output.empty());
  EXPECT_TRUE(h_.commands.calls().empty());  // nothing ran
}

TEST_F(ConsentTest, BasicDiagnosticsNeedNoConsent) {
  h_.Enrol("personal");
  h_.SystemFile("/proc/meminfo", "MemTotal: 1024 kB\nMemAvailable: 512 kB\n");
  h_.SystemFile("/proc/loadavg", "0.10 0.20 0.30 1/100 42\n");
  EXPECT_EQ(h_.Run("memory-load").result.state, RunState::kSucceeded);
}

TEST_F(ConsentTest, CorporateDeviceNeedsNoConsent) {
  h_.Enrol("corporate");
  auto out = h_.Run("agent-log-tail");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output, HasSubstr("started"));
}

TEST_F(ConsentTest, UnknownOwnershipCountsAsPersonal) {
  // Not enrolled: no record to read.
  auto out = h_.Run("agent-log-tail");
  EXPECT_EQ(out.result.state, RunState::kRefused);
  EXPECT_THAT(out.result.message,
              HasSubstr("ownership unknown, treated as personal"));
}

TEST_F(ConsentTest, GrantAllowsUntilExpiryThenRefusesAgain) {
  h_.Enrol("personal");
  ConsentStore store(h_.state, h_.clock);
  ASSERT_TRUE(store.Grant(absl::Hours(1)).ok());
  EXPECT_EQ(h_.Run("agent-log-tail").result.state, RunState::kSucceeded);

  h_.clock.Advance(absl::Minutes(59));
  EXPECT_EQ(h_.Run("agent-log-tail").result.state, RunState::kSucceeded);

  h_.clock.Advance(absl::Minutes(1));
  auto expired = h_.Run("agent-log-tail");
  EXPECT_EQ(expired.result.state, RunState::kRefused);
  EXPECT_THAT(expired.result.message, HasSubstr("consent expired at"));
}

TEST_F(ConsentTest, RevokeEndsConsentAtOnce) {
  h_.Enrol("personal");
  ConsentStore store(h_.state, h_.clock);
  ASSERT_TRUE(store.Grant(absl::Hours(24)).ok());
  ASSERT_TRUE(store.Revoke().ok());
  EXPECT_EQ(h_.Run("agent-log-tail").result.state, RunState::kRefused);
  EXPECT_TRUE(store.Revoke().ok());  // twice is fine
}

TEST_F(ConsentTest, GrantIsBoundedTo24Hours) {
  ConsentStore store(h_.state, h_.clock);
  EXPECT_THAT(store.Grant(absl::Hours(25)).message(),
              HasSubstr("at most 1d, not 25h"));
  EXPECT_FALSE(store.Grant(absl::ZeroDuration()).ok());
  EXPECT_TRUE(store.Grant(absl::Hours(24)).ok());
  EXPECT_TRUE(store.Check().granted);
}

TEST_F(ConsentTest, AHandMadeFileCannotStretchConsent) {
  h_.Enrol("personal");
  ConsentStore store(h_.state, h_.clock);
  const int64_t now = absl::ToUnixSeconds(h_.clock.Now());
  ASSERT_TRUE(h_.state
                  .WriteStateFile(
                      store.Path(),
                      absl::StrCat("granted_at: ", now,
                                   "\nexpires_at: ", now + 86400 * 365, "\n"),
                      0644)
                  .ok());
  ConsentStatus status = store.Check();
  EXPECT_FALSE(status.granted);
  EXPECT_THAT(status.detail, HasSubstr("longer than 1d"));
  EXPECT_EQ(h_.Run("agent-log-tail").result.state, RunState::kRefused);

  ASSERT_TRUE(h_.state.WriteStateFile(store.Path(), "garbage", 0644).ok());
  EXPECT_THAT(store.Check().detail, HasSubstr("is damaged"));
}

}  // namespace
}  // namespace trellis::agent::diagnostics
