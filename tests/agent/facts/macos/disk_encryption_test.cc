#include "absl/status/status.h"
#include "agent/facts/macos/disk_encryption_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/macos/macos_test_util.h"

namespace trellis::agent::macos_facts {
namespace {

using macos_test::CollectChecked;
using macos_test::Fixture;
using macos_test::Ok;
using macos_test::Result;
using macos_test::RowString;
using ::testing::DoubleEq;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(MacosFdesetupTest, On) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_on.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kOn);
  EXPECT_FALSE(s->restart_pending);
  EXPECT_EQ(FileVaultEncrypted(*s), true);
}

TEST(MacosFdesetupTest, Off) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_off.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kOff);
  EXPECT_EQ(FileVaultEncrypted(*s), false);
}

TEST(MacosFdesetupTest, EncryptionInProgressIsNotYetEncrypted) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_encrypting.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kEncrypting);
  EXPECT_THAT(s->percent_completed, Optional(DoubleEq(42.1)));
  EXPECT_EQ(FileVaultEncrypted(*s), false);
}

TEST(MacosFdesetupTest, DecryptionInProgress) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_decrypting.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kDecrypting);
  EXPECT_THAT(s->percent_completed, Optional(DoubleEq(57.3)));
  EXPECT_EQ(FileVaultEncrypted(*s), false);
}

TEST(MacosFdesetupTest, DeferredEnablementIsOff) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_deferred.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kOff);
  EXPECT_TRUE(s->restart_pending);
  EXPECT_EQ(FileVaultEncrypted(*s), false);
}

TEST(MacosFdesetupTest, OnPendingRestartIsNotClaimed) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_on_restart.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kOn);
  EXPECT_TRUE(s->restart_pending);
  EXPECT_EQ(FileVaultEncrypted(*s), std::nullopt);
  EXPECT_EQ(RowString(BuildDiskEncryptionTable(*s), 0),
            "mount_point=/ device=NULL encrypted=NULL method=filevault "
            "is_system=true");
}

TEST(MacosFdesetupTest, ExtraLinesAreIgnored) {
  auto s = ParseFdesetupStatus(Fixture("fdesetup_on_extra_lines.txt"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, FileVaultState::kOn);
  EXPECT_EQ(FileVaultEncrypted(*s), true);
}

TEST(MacosFdesetupTest, ErrorTextAndEmptyAreErrors) {
  auto error = ParseFdesetupStatus(Fixture("fdesetup_error.txt"));
  EXPECT_THAT(error.status().message(), HasSubstr("Unable to get status"));
  EXPECT_THAT(ParseFdesetupStatus("").status().message(),
              HasSubstr("empty output"));
  // Cut off before the state word.
  EXPECT_FALSE(ParseFdesetupStatus("FileVault i").ok());
}

TEST(MacosDiskEncryptionCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set("fdesetup status", Ok(Fixture("fdesetup_on.txt")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "mount_point=/ device=NULL encrypted=true method=filevault "
            "is_system=true");
}

TEST(MacosDiskEncryptionCollectorTest, OffReportsUnencrypted) {
  FakeCommandRunner runner;
  runner.Set("fdesetup status", Ok(Fixture("fdesetup_off.txt")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(RowString(t, 0), HasSubstr("encrypted=false"));
}

TEST(MacosDiskEncryptionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("fdesetup status: fdesetup is not installed"));
}

TEST(MacosDiskEncryptionCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("fdesetup status", Result(1, "", Fixture("fdesetup_error.txt")));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("(-69594)"));
}

TEST(MacosDiskEncryptionCollectorTest, TimeoutIsUnknown) {
  FakeCommandRunner runner;
  runner.SetError("fdesetup status", absl::DeadlineExceededError(
                                         "fdesetup did not finish within 10s"));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("did not finish within 10s"));
}

TEST(MacosDiskEncryptionCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("fdesetup status", Ok(""));
  auto collector = NewDiskEncryptionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.unknown_reason(), "fdesetup status: empty output");
}

}  // namespace
}  // namespace trellis::agent::macos_facts
