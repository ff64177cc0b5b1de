#include "agent/facts/macos/defaults_parser.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/os_updates_parser.h"
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
using ::testing::HasSubstr;

constexpr char kAutoInstall[] =
    "defaults read /Library/Preferences/com.apple.SoftwareUpdate "
    "AutomaticallyInstallMacOSUpdates";

int SecurityCount(const std::vector<AvailableUpdate>& updates) {
  int n = 0;
  for (const AvailableUpdate& u : updates) n += IsSecurityUpdate(u) ? 1 : 0;
  return n;
}

TEST(MacosSoftwareUpdateTest, NoneAvailable) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_none_stderr.txt"));
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->empty());
}

TEST(MacosSoftwareUpdateTest, SonomaList) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_sonoma.txt"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 3u);
  EXPECT_EQ((*u)[0].label, "macOS Sonoma 14.4.1-23E224");
  EXPECT_EQ((*u)[0].title, "macOS Sonoma 14.4.1");
  EXPECT_TRUE((*u)[0].restart_required);
  EXPECT_EQ((*u)[1].title, "Safari");
  EXPECT_FALSE((*u)[1].restart_required);
  EXPECT_EQ((*u)[2].label, "Command Line Tools for Xcode-15.3");
  // A point release fixes security bugs but does not say so.
  EXPECT_EQ(SecurityCount(*u), 0);
}

TEST(MacosSoftwareUpdateTest, SecurityResponsesAndImprovements) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_security.txt"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 3u);
  EXPECT_EQ((*u)[1].title, "Rapid Security Response macOS Ventura 13.4.1 (c)");
  EXPECT_EQ(SecurityCount(*u), 2);
  EXPECT_EQ(RowString(BuildOsUpdatesTable(*u, true), 0),
            "manager=softwareupdate pending=3 pending_security=2 "
            "days_since_last_update=NULL automatic_updates=true");
}

TEST(MacosSoftwareUpdateTest, PreCatalinaFormat) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_mojave_format.txt"));
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->size(), 2u);
  EXPECT_EQ((*u)[0].label, "Security Update 2019-001-10.13.6");
  EXPECT_EQ((*u)[0].title, "Security Update 2019-001 (10.13.6)");
  EXPECT_TRUE((*u)[0].restart_required);
  EXPECT_EQ((*u)[1].title, "Safari (12.1)");
  EXPECT_EQ(SecurityCount(*u), 1);
}

TEST(MacosSoftwareUpdateTest, HeaderWithoutEntriesIsTruncated) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_truncated.txt"));
  EXPECT_THAT(u.status().message(), HasSubstr("cut off"));
}

TEST(MacosSoftwareUpdateTest, NetworkErrorIsNotZeroPending) {
  auto u = ParseSoftwareUpdateList(Fixture("softwareupdate_network_error.txt"));
  EXPECT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(), HasSubstr("NSURLErrorDomain error -1009"));
}

TEST(MacosSoftwareUpdateTest, UnfamiliarLanguageIsNotZeroPending) {
  // "Keine neue Software verfügbar." may well mean none, but the parser
  // cannot know that every language's wording means it.
  EXPECT_FALSE(
      ParseSoftwareUpdateList(Fixture("softwareupdate_german.txt")).ok());
  EXPECT_FALSE(ParseSoftwareUpdateList("").ok());
}

TEST(MacosSoftwareUpdateTest, ContradictoryOutputIsAnError) {
  EXPECT_FALSE(ParseSoftwareUpdateList(
                   "* Label: Safari-17.4\nNo new software available.\n")
                   .ok());
}

TEST(MacosDefaultsTest, Values) {
  EXPECT_EQ(ParseDefaultsBool("1\n").value_or(false), true);
  EXPECT_EQ(ParseDefaultsBool("0\n").value_or(true), false);
  EXPECT_EQ(ParseDefaultsBool("YES").value_or(false), true);
  EXPECT_FALSE(ParseDefaultsBool("").ok());
  EXPECT_FALSE(ParseDefaultsBool("(\n    1\n)").ok());
  EXPECT_EQ(ParseDefaultsInteger(Fixture("defaults_idle_600.txt")).value_or(0),
            600);
  EXPECT_EQ(ParseDefaultsInteger("300.0\n").value_or(0), 300);
  EXPECT_FALSE(ParseDefaultsInteger("300.5").ok());
  EXPECT_FALSE(ParseDefaultsInteger(Fixture("defaults_missing.txt")).ok());
}

TEST(MacosOsUpdatesCollectorTest, HappyPathWithStderrNoneMessage) {
  FakeCommandRunner runner;
  // The real tool writes "No new software available." to stderr.
  runner.Set("softwareupdate -l",
             Ok("", Fixture("softwareupdate_none_stderr.txt")));
  runner.Set(kAutoInstall, Ok("1\n"));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "manager=softwareupdate pending=0 pending_security=0 "
            "days_since_last_update=NULL automatic_updates=true");
}

TEST(MacosOsUpdatesCollectorTest, PendingWithPreferenceUnset) {
  FakeCommandRunner runner;
  runner.Set("softwareupdate -l",
             Ok(Fixture("softwareupdate_security.txt"),
                "Software Update Tool\n\nFinding available software\n"));
  runner.Set(kAutoInstall, Result(1, "", Fixture("defaults_missing.txt")));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(RowString(t, 0),
            "manager=softwareupdate pending=3 pending_security=2 "
            "days_since_last_update=NULL automatic_updates=NULL");
}

TEST(MacosOsUpdatesCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(kAutoInstall, Ok("0\n"));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("softwareupdate -l: softwareupdate is not installed"));
}

TEST(MacosOsUpdatesCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("softwareupdate -l",
             Result(1, "", "softwareupdate: Unable to contact the server.\n"));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
}

TEST(MacosOsUpdatesCollectorTest, NetworkErrorWithZeroExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("softwareupdate -l",
             Ok("", Fixture("softwareupdate_network_error.txt")));
  auto collector = NewOsUpdatesCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("softwareupdate -l: neither"));
}

}  // namespace
}  // namespace trellis::agent::macos_facts
