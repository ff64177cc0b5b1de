// The compliance state machine through real check-ins: grace with a
// deadline, noncompliant when it passes, compliant again when fixed,
// revoked; every transition in `trellisctl device history`.
#include "absl/strings/str_cat.h"
#include "agent/cli/status_report.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

constexpr char kPolicy[] = R"(id: lifecycle
title: Lifecycle
enforcement: restrict
checks:
  - id: debian-12
    title: Runs Debian 12
    query: SELECT 1 FROM os_version WHERE version_id = '12'
    grace_period: 1h
)";

class ComplianceLifecycleTest : public IntegrationTest {
 protected:
  void SetUp() override {
    server::ServerConfig config = BaseConfig();
    config.validity_window = absl::Hours(2);
    StartServer(config);
    std::string dir = dir_.File("policies");
    ASSERT_TRUE(MakeDirs(dir).ok());
    ASSERT_TRUE(WriteFileAtomic(dir + "/p.yaml", kPolicy).ok());
    ASSERT_EQ(Ctl(admin_credentials_, {"policy", "apply", dir}).exit_code, 0);
  }
  void SetVersion(const std::string& machine, const std::string& v) {
    Machine(machine).system.files["/etc/os-release"] =
        absl::StrCat("ID=debian\nVERSION_ID=\"", v, "\"\n");
  }
};

TEST_F(ComplianceLifecycleTest, GraceThenNoncompliantThenFixedThenRevoked) {
  SetVersion("worker", "12");
  auto state = Enroll(CreateToken(), "worker");
  ASSERT_TRUE(state.ok()) << state.status();
  auto ok = CheckIn(*state);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->compliance_state(), v1::COMPLIANCE_STATE_COMPLIANT);

  clock_.Advance(absl::Minutes(1));
  SetVersion("worker", "11");
  auto failing = CheckIn(*state);
  ASSERT_TRUE(failing.ok());
  EXPECT_EQ(failing->compliance_state(), v1::COMPLIANCE_STATE_GRACE);
  EXPECT_EQ(failing->grace_deadline().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(1)));

  std::string id = state->LoadRecord()->device_id;
  CtlResult show = Ctl(admin_credentials_, {"device", "show", id});
  EXPECT_THAT(show.out,
              HasSubstr("Compliance state: grace (access kept until"));

  clock_.Advance(absl::Minutes(61));
  auto overdue = CheckIn(*state);
  ASSERT_TRUE(overdue.ok());
  EXPECT_EQ(overdue->compliance_state(), v1::COMPLIANCE_STATE_NONCOMPLIANT);
  EXPECT_FALSE(overdue->has_grace_deadline());

  clock_.Advance(absl::Minutes(1));
  SetVersion("worker", "12");
  auto fixed = CheckIn(*state);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->compliance_state(), v1::COMPLIANCE_STATE_COMPLIANT);
  // An unchanged posture adds no transition.
  ASSERT_TRUE(CheckIn(*state).ok());

  ASSERT_EQ(Ctl(admin_credentials_, {"device", "revoke", id, "--reason",
                                     "left the council", "--yes"})
                .exit_code,
            0);
  CtlResult history = Ctl(admin_credentials_, {"device", "history", id});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, ContainsRegex("unspecified +compliant"));
  EXPECT_THAT(history.out, ContainsRegex("compliant +grace"));
  EXPECT_THAT(history.out,
              HasSubstr("lifecycle/debian-12 fails; access is kept until"));
  EXPECT_THAT(history.out, ContainsRegex("grace +noncompliant"));
  EXPECT_THAT(history.out, HasSubstr("grace period has ended"));
  EXPECT_THAT(history.out, ContainsRegex("noncompliant +compliant"));
  EXPECT_THAT(history.out, HasSubstr("left the council"));
  // Header plus five transitions.
  EXPECT_EQ(std::count(history.out.begin(), history.out.end(), '\n'), 6)
      << history.out;
  CtlResult list = Ctl(admin_credentials_, {"device", "list"});
  EXPECT_THAT(list.out, HasSubstr("revoked"));
}

TEST_F(ComplianceLifecycleTest, TimersFireWithoutACheckIn) {
  SetVersion("quiet", "11");
  auto state = Enroll(CreateToken(), "quiet");
  ASSERT_TRUE(state.ok()) << state.status();
  auto failing = CheckIn(*state);
  ASSERT_TRUE(failing.ok());
  EXPECT_EQ(failing->compliance_state(), v1::COMPLIANCE_STATE_GRACE);
  std::string id = state->LoadRecord()->device_id;

  // Nothing is due yet.
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(*server_->sweeper().SweepOnce(), 0);
  // The grace period ends: noncompliant with no check-in.
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(*server_->sweeper().SweepOnce(), 1);
  EXPECT_THAT(Ctl(admin_credentials_, {"device", "show", id}).out,
              HasSubstr("Compliance state: noncompliant"));
  // Silent past the validity window (2 h after it was last seen).
  clock_.Advance(absl::Minutes(60));
  EXPECT_EQ(*server_->sweeper().SweepOnce(), 1);
  EXPECT_EQ(*server_->sweeper().SweepOnce(), 0);  // once per change
  CtlResult history = Ctl(admin_credentials_, {"device", "history", id});
  EXPECT_THAT(history.out,
              ContainsRegex("grace +noncompliant +grace period ended"));
  EXPECT_THAT(history.out,
              ContainsRegex("noncompliant +stale +no check-in since"));
  // Checking in again (fixed) brings it back.
  SetVersion("quiet", "12");
  auto back = CheckIn(*state);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->compliance_state(), v1::COMPLIANCE_STATE_COMPLIANT);
}

TEST_F(ComplianceLifecycleTest, ExceptionsKeepAccessUntilTheyEnd) {
  SetVersion("legacy", "11");
  auto state = Enroll(CreateToken(), "legacy");
  ASSERT_TRUE(state.ok()) << state.status();
  std::string id = state->LoadRecord()->device_id;
  CtlResult add = Ctl(admin_credentials_,
                      {"exception", "add", id, "lifecycle/debian-12", "--until",
                       "3h", "--reason", "upgrade booked for Friday"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_THAT(add.out, HasSubstr("Exception 1 added"));

  auto excepted = CheckIn(*state);
  ASSERT_TRUE(excepted.ok());
  EXPECT_EQ(excepted->compliance_state(), v1::COMPLIANCE_STATE_COMPLIANT);
  // The failure is still shown, with the exception.
  EXPECT_EQ(excepted->verdict().results(0).state(), v1::CHECK_STATE_FAIL);
  EXPECT_EQ(excepted->verdict().results(0).exception_reason(),
            "upgrade booked for Friday");

  CtlResult list = Ctl(admin_credentials_, {"exception", "list", id});
  EXPECT_THAT(list.out, HasSubstr("upgrade booked for Friday"));
  EXPECT_THAT(list.out, ContainsRegex("lifecycle/debian-12 .* yes"));

  // Removing it (audited) ends the cover at the next evaluation.
  ASSERT_EQ(Ctl(admin_credentials_, {"exception", "remove", "1"}).exit_code, 0);
  clock_.Advance(absl::Seconds(1));
  auto after = CheckIn(*state);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->compliance_state(), v1::COMPLIANCE_STATE_GRACE);
  EXPECT_TRUE(
      Ctl(admin_credentials_, {"exception", "list", id}).out.find("upgrade") ==
      std::string::npos);
  CtlResult audit = Ctl(admin_credentials_, {"audit", "list"});
  EXPECT_THAT(audit.out, HasSubstr("exception.add"));
  EXPECT_THAT(audit.out, HasSubstr("exception.remove"));

  // Bad requests are named; helpdesk may not add.
  EXPECT_THAT(Ctl(admin_credentials_, {"exception", "add", id, "lifecycle/x",
                                       "--until", "400d", "--reason", "r"})
                  .err,
              HasSubstr("--until must be between 1s and 365d"));
  // The server holds the same limit for any client.
  v1::AddExceptionRequest too_long;
  too_long.set_device_id(id);
  too_long.set_policy_id("lifecycle");
  too_long.set_check_id("debian-12");
  too_long.set_reason("r");
  too_long.mutable_until()->set_seconds(
      absl::ToUnixSeconds(clock_.Now() + absl::Hours(24 * 400)));
  v1::AddExceptionResponse added;
  grpc::ClientContext context;
  grpc::Status refused =
      AdminStub(admin_credentials_)->AddException(&context, too_long, &added);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("at most 365 days"));
  std::string helpdesk = CreateOperator("hd", "helpdesk");
  EXPECT_THAT(Ctl(helpdesk, {"exception", "add", id, "lifecycle/debian-12",
                             "--until", "1h", "--reason", "r"})
                  .err,
              HasSubstr("permission denied"));
}

}  // namespace
}  // namespace trellis::testing
