// The check-in sequence never wraps, and errors of the state files are
// local errors, distinct from any code the server uses for a verdict.
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/state/agent_state.h"
#include "agent/state/local_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

std::string RecordWithSequence(const std::string& sequence) {
  return absl::StrCat("server: h:1\ndevice_id: dx\nnext_sequence: ", sequence,
                      "\n");
}

TEST(SequenceTest, AdvancesUpToTheBoundAndNoFurther) {
  EXPECT_EQ(*SequenceAfter(1), 2u);
  EXPECT_EQ(*SequenceAfter(kMaxSequence - 1), kMaxSequence);
  for (uint64_t at :
       {kMaxSequence, kMaxSequence + 1, std::numeric_limits<uint64_t>::max()}) {
    absl::StatusOr<uint64_t> next = SequenceAfter(at);
    ASSERT_FALSE(next.ok()) << at;
    EXPECT_THAT(next.status().message(), HasSubstr(absl::StrCat(at)));
    EXPECT_THAT(next.status().message(), HasSubstr("enrol this device again"));
  }
}

TEST(SequenceTest, RecordPastTheBoundIsRefusedWithAClearError) {
  EXPECT_TRUE(ParseRecord(RecordWithSequence(absl::StrCat(kMaxSequence))).ok());
  for (uint64_t bad :
       {kMaxSequence + 1, std::numeric_limits<uint64_t>::max()}) {
    absl::StatusOr<AgentRecord> parsed =
        ParseRecord(RecordWithSequence(absl::StrCat(bad)));
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));
    EXPECT_THAT(parsed.status().message(), HasSubstr("past the bound"));
  }
}

TEST(LocalErrorTest, KeepsTheMessageAndDropsTheCode) {
  absl::Status eacces =
      absl::PermissionDeniedError("cannot create /s/agent.state: denied");
  absl::Status local = LocalError(eacces, "cannot save /s/agent.state");
  EXPECT_TRUE(IsLocalError(local));
  EXPECT_FALSE(absl::IsPermissionDenied(local));
  EXPECT_THAT(local.message(), HasSubstr("local error"));
  EXPECT_THAT(local.message(), HasSubstr("/s/agent.state: denied"));
  EXPECT_EQ(LocalError(local, "again"), local);
  EXPECT_TRUE(LocalError(absl::OkStatus(), "x").ok());
  EXPECT_FALSE(IsLocalError(eacces));
}

TEST(AgentStateTest, UnwritableStateDirIsALocalErrorNamingTheFile) {
  testing::TempDir dir;
  AgentState state(dir.path());
  // As the OS answers a write to a directory that is not writable (root
  // ignores chmod, so the writer is replaced).
  state.set_file_writer([](const std::string& path, const std::string&, int) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", path, ".tmp: Permission denied"));
  });
  AgentRecord record;
  record.server_address = "h:1";
  record.device_id = "dx";
  absl::Status saved = state.SaveRecord(record);
  ASSERT_FALSE(saved.ok());
  EXPECT_TRUE(IsLocalError(saved));
  EXPECT_FALSE(absl::IsPermissionDenied(saved));
  EXPECT_THAT(saved.message(), HasSubstr(state.RecordPath()));
  // Copies share the writer.
  AgentState copy = state;
  EXPECT_TRUE(IsLocalError(copy.SaveRecord(record)));
}

}  // namespace
}  // namespace trellis::agent
