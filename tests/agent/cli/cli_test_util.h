// A device's state for the CLI tests: an enrolled record, a last check-in
// with a failing check, an excepted one and a VPN assignment, and readers
// that play a normal user who may not read the private files.
#ifndef TRELLIS_TESTS_AGENT_CLI_CLI_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_CLI_CLI_TEST_UTIL_H_

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "agent/cli/employee_status.h"
#include "agent/cli/status_file.h"
#include "agent/state/agent_state.h"
#include "common/util/files.h"
#include "common/util/proto_time.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent::cli_testing {

// 2027-01-15 08:00:00 UTC
inline absl::Time Deadline() { return absl::FromUnixSeconds(1800000000); }
// 2027-02-01 00:00:00 UTC
inline absl::Time ExceptionEnd() { return absl::FromUnixSeconds(1801440000); }
// Before both.
inline absl::Time Now() { return absl::FromUnixSeconds(1790000000); }

inline AgentRecord Record() {
  AgentRecord record;
  record.server_address = "trellis.example:8443";
  record.device_id = "dabcdef";
  record.group = "staff";
  record.ownership = "corporate";
  record.enrolled_at = absl::FromUnixSeconds(1767225600);
  record.last_checkin_at = absl::FromUnixSeconds(1789999000);
  record.last_checkin_result = "ok; server verdict: not compliant";
  record.next_sequence = 7;
  return record;
}

inline v1::CheckInResponse LastCheckIn(const std::string& remediation) {
  v1::CheckInResponse r;
  r.set_compliance_state(v1::COMPLIANCE_STATE_GRACE);
  *r.mutable_grace_deadline() = ToProtoTime(Deadline());
  v1::CheckResult* disk = r.mutable_verdict()->add_results();
  disk->set_policy_id("disk");
  disk->set_check_id("encrypted");
  disk->set_title("Disk is encrypted");
  disk->set_state(v1::CHECK_STATE_FAIL);
  disk->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  disk->set_remediation(remediation);
  v1::CheckResult* fw = r.mutable_verdict()->add_results();
  fw->set_policy_id("firewall");
  fw->set_check_id("on");
  fw->set_title("Firewall is on");
  fw->set_state(v1::CHECK_STATE_FAIL);
  fw->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  *fw->mutable_excepted_until() = ToProtoTime(ExceptionEnd());
  fw->set_exception_reason("vendor laptop");
  v1::CheckResult* pass = r.mutable_verdict()->add_results();
  pass->set_policy_id("os");
  pass->set_check_id("supported");
  pass->set_title("OS is supported");
  pass->set_state(v1::CHECK_STATE_PASS);
  *r.mutable_vpn() = vpn_testing::FullAssignment();
  return r;
}

// Writes the private files as the agent does (0600), and fake keys so a
// test can tell they never reach the status file.
inline void SaveDevice(const AgentState& state,
                       const std::string& remediation = "Turn on FileVault") {
  ASSERT_TRUE(MakeDirs(state.dir(), 0700).ok());
  ASSERT_TRUE(state.SaveRecord(Record()).ok());
  ASSERT_TRUE(WriteFileAtomic(state.LastCheckInPath(),
                              LastCheckIn(remediation).SerializeAsString(),
                              0600)
                  .ok());
  ASSERT_TRUE(
      WriteFileAtomic(state.KeyPath(),
                      "-----BEGIN PRIVATE KEY-----\nsecret-device-key\n", 0600)
          .ok());
  ASSERT_TRUE(
      WriteFileAtomic(state.WireGuardKeyPath(), "secret-wg-key\n", 0600).ok());
}

// Reads as a normal user would when the state directory is 0711 and only
// `readable` paths are 0644: everything else is permission denied.
inline FileReader UserReader(std::set<std::string> readable) {
  return [readable](const std::string& path) -> absl::StatusOr<std::string> {
    if (readable.count(path) == 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot open ", path, ": Permission denied"));
    }
    return ReadFile(path);
  };
}

}  // namespace trellis::agent::cli_testing

#endif  // TRELLIS_TESTS_AGENT_CLI_CLI_TEST_UTIL_H_
