#include "agent/facts/windows/os_updates_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/windows/windows_test_util.h"

namespace trellis::agent::windows_facts {
namespace {

using ::testing::HasSubstr;
using windows_test::CollectChecked;
using windows_test::Fixture;
using windows_test::Key;
using windows_test::Ok;
using windows_test::Result;
using windows_test::RowString;

TEST(WindowsUpdatesTest, EnglishTitlesAndSeverities) {
  auto u = ParsePendingUpdates(Fixture("wu_updates_en.json"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 4u);
  EXPECT_EQ((*u)[0].msrc_severity, "Critical");
  EXPECT_EQ((*u)[1].msrc_severity, std::nullopt);
  EXPECT_TRUE(IsSecurityUpdate((*u)[1]));   // "Security Intelligence Update"
  EXPECT_FALSE(IsSecurityUpdate((*u)[3]));  // a driver
  EXPECT_EQ(RowString(BuildOsUpdatesTable(*u, std::nullopt), 0),
            "manager=windows-update pending=4 pending_security=3 "
            "days_since_last_update=NULL automatic_updates=NULL");
}

TEST(WindowsUpdatesTest, GermanTitles) {
  auto u = ParsePendingUpdates(Fixture("wu_updates_de.json"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 3u);
  // An empty severity is no severity.
  EXPECT_EQ((*u)[1].msrc_severity, std::nullopt);
  EXPECT_TRUE(IsSecurityUpdate((*u)[1]));  // "Sicherheitsupdate"
  EXPECT_FALSE(IsSecurityUpdate((*u)[2]));
  EXPECT_EQ(RowString(BuildOsUpdatesTable(*u, false), 0),
            "manager=windows-update pending=3 pending_security=2 "
            "days_since_last_update=NULL automatic_updates=false");
}

TEST(WindowsUpdatesTest, SingleFrenchUpdateIsAnObjectNotAnArray) {
  auto u = ParsePendingUpdates(Fixture("wu_updates_single.json"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 1u);
  EXPECT_TRUE(IsSecurityUpdate((*u)[0]));  // "Mise à jour de sécurité"
}

TEST(WindowsUpdatesTest, EmptyOutputIsNothingPending) {
  auto u = ParsePendingUpdates(Fixture("wu_updates_empty.txt"));
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->empty());
}

TEST(WindowsUpdatesTest, OddOutputsAreErrors) {
  EXPECT_THAT(
      ParsePendingUpdates(R"([{"MsrcSeverity": "Low"}])").status().message(),
      HasSubstr("no Title"));
  EXPECT_FALSE(ParsePendingUpdates(Fixture("wu_search_offline.txt")).ok());
  EXPECT_FALSE(
      ParsePendingUpdates("[\n    {\n        \"Title\":  \"2024").ok());
}

TEST(WindowsUpdatesTest, NoAutoUpdatePolicy) {
  EXPECT_EQ(ParseNoAutoUpdate(Fixture("noautoupdate_1.json")).value_or(true),
            false);
  EXPECT_EQ(ParseNoAutoUpdate(R"({"NoAutoUpdate": 0})").value_or(false), true);
  EXPECT_FALSE(ParseNoAutoUpdate(R"({"NoAutoUpdate": 5})").ok());
  EXPECT_FALSE(ParseNoAutoUpdate("").ok());
}

TEST(WindowsOsUpdatesCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(Key(kPendingUpdatesScript), Ok(Fixture("wu_updates_en.json")));
  runner.Set(Key(kNoAutoUpdateScript), Ok(Fixture("noautoupdate_1.json")));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "manager=windows-update pending=4 pending_security=3 "
            "days_since_last_update=NULL automatic_updates=false");
}

TEST(WindowsOsUpdatesCollectorTest, NothingPendingAndNoPolicy) {
  FakeCommandRunner runner;
  runner.Set(Key(kPendingUpdatesScript), Ok(""));
  runner.Set(Key(kNoAutoUpdateScript),
             Result(1, "", Fixture("noautoupdate_missing.txt")));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "manager=windows-update pending=0 pending_security=0 "
            "days_since_last_update=NULL automatic_updates=NULL");
}

TEST(WindowsOsUpdatesCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Windows Update search (PowerShell): powershell.exe"));
}

TEST(WindowsOsUpdatesCollectorTest, OfflineSearchIsUnknownNotZero) {
  FakeCommandRunner runner;
  runner.Set(Key(kPendingUpdatesScript),
             Result(1, "", Fixture("wu_search_offline.txt")));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("0x8024402C"));
}

TEST(WindowsOsUpdatesCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kPendingUpdatesScript), Ok("[{\"Title\": "));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("unreadable JSON"));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
