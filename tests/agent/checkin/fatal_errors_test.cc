// What stops the agent: only the server's answer that the device is
// revoked or retired; never a local error, even one the OS reported as
// EACCES.
#include "absl/status/status.h"
#include "agent/checkin/checkin_client.h"
#include "agent/checkin/run_loop.h"
#include "agent/state/agent_state.h"
#include "agent/state/local_error.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

TEST(FatalErrorsTest, OnlyTheServersPermissionDeniedIsFatal) {
  EXPECT_TRUE(IsFatalForDevice(ServerAnswerError(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                   "device d1 is revoked (stolen); enrol again"),
      "check-in with h:1 failed")));
  EXPECT_FALSE(IsFatalForDevice(ServerAnswerError(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
      "check-in with h:1 failed")));
}

TEST(FatalErrorsTest, LocalFileErrorsAreNeverFatal) {
  // As common/util/files.h reports EACCES.
  const absl::Status eacces = absl::PermissionDeniedError(
      "cannot create /var/lib/trellis-agent/agent.state.tmp: Permission "
      "denied");
  EXPECT_FALSE(IsFatalForDevice(eacces));
  EXPECT_FALSE(IsFatalForDevice(LocalError(eacces, "cannot save x")));
  EXPECT_FALSE(IsFatalForDevice(absl::DataLossError("agent.state line 3")));
  EXPECT_FALSE(IsFatalForDevice(absl::FailedPreconditionError("not enrolled")));

  testing::TempDir dir;
  AgentState state(dir.path());
  state.set_file_writer(
      [&](const std::string&, const std::string&, int) { return eacces; });
  AgentRecord record;
  record.server_address = "h:1";
  record.device_id = "dx";
  EXPECT_FALSE(IsFatalForDevice(state.SaveRecord(record)));
}

}  // namespace
}  // namespace trellis::agent
