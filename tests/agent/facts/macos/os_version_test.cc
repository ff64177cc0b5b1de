#include "absl/status/status.h"
#include "agent/facts/macos/macos_collectors.h"
#include "agent/facts/macos/os_version_parser.h"
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

TEST(MacosSwVersTest, Sonoma) {
  auto sw = ParseSwVers(Fixture("sw_vers_sonoma.txt"));
  ASSERT_TRUE(sw.ok()) << sw.status();
  EXPECT_EQ(sw->product_name, "macOS");
  EXPECT_EQ(sw->product_version, "14.4.1");
  EXPECT_EQ(sw->build_version, "23E224");
  EXPECT_FALSE(sw->product_version_extra.has_value());
}

TEST(MacosSwVersTest, RapidSecurityResponseExtra) {
  auto sw = ParseSwVers(Fixture("sw_vers_ventura_rsr.txt"));
  ASSERT_TRUE(sw.ok()) << sw.status();
  EXPECT_EQ(sw->product_version, "13.4.1");
  EXPECT_EQ(sw->product_version_extra, "(c)");
  EXPECT_EQ(RowString(BuildOsVersionTable(*sw, "arm64"), 0),
            "name=macOS version=13.4.1 (c) version_id=13.4.1 id=macos "
            "pretty_name=macOS 13.4.1 (c) (22F770820d) "
            "kernel_release=22F770820d arch=arm64 security_patch_level=NULL");
}

TEST(MacosSwVersTest, OldMacOsXName) {
  auto sw = ParseSwVers(Fixture("sw_vers_high_sierra.txt"));
  ASSERT_TRUE(sw.ok()) << sw.status();
  EXPECT_EQ(sw->product_name, "Mac OS X");
  EXPECT_EQ(sw->product_version, "10.13.6");
  EXPECT_EQ(sw->build_version, "17G14042");
}

TEST(MacosSwVersTest, IgnoresLogNoiseBeforeTheKeys) {
  auto sw = ParseSwVers(Fixture("sw_vers_with_warning.txt"));
  ASSERT_TRUE(sw.ok()) << sw.status();
  EXPECT_EQ(sw->product_version, "15.3.2");
  EXPECT_EQ(sw->build_version, "24D81");
}

TEST(MacosSwVersTest, TruncatedOutputIsAnError) {
  auto sw = ParseSwVers(Fixture("sw_vers_truncated.txt"));
  EXPECT_THAT(sw.status().message(), HasSubstr("no ProductVersion"));
}

TEST(MacosSwVersTest, EmptyAndForeignOutputAreErrors) {
  EXPECT_FALSE(ParseSwVers("").ok());
  EXPECT_FALSE(ParseSwVers("sw_vers: command not found\n").ok());
  EXPECT_FALSE(ParseSwVers("ProductVersion:\tunknown\n").ok());
}

TEST(MacosSwVersTest, UnameMachine) {
  EXPECT_EQ(ParseUnameMachine(Fixture("uname_m_arm64.txt")).value_or(""),
            "arm64");
  EXPECT_EQ(ParseUnameMachine("x86_64\r\n").value_or(""), "x86_64");
  EXPECT_FALSE(ParseUnameMachine("").ok());
  EXPECT_FALSE(ParseUnameMachine("uname: illegal option -- m\n").ok());
}

TEST(MacosSwVersTest, NoProductNameLeavesNamesNull) {
  SwVers sw;
  sw.product_version = "14.0";
  EXPECT_EQ(RowString(BuildOsVersionTable(sw, std::nullopt), 0),
            "name=NULL version=14.0 version_id=14.0 id=macos pretty_name=NULL "
            "kernel_release=NULL arch=NULL security_patch_level=NULL");
}

TEST(MacosOsVersionCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set("sw_vers", Ok(Fixture("sw_vers_sonoma.txt")));
  runner.Set("uname -m", Ok(Fixture("uname_m_arm64.txt")));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  EXPECT_EQ(RowString(t, 0),
            "name=macOS version=14.4.1 version_id=14.4.1 id=macos "
            "pretty_name=macOS 14.4.1 (23E224) kernel_release=23E224 "
            "arch=arm64 security_patch_level=NULL");
}

TEST(MacosOsVersionCollectorTest, UnameFailureOnlyNullsArch) {
  FakeCommandRunner runner;
  runner.Set("sw_vers", Ok(Fixture("sw_vers_sonoma.txt")));
  runner.SetError("uname -m", absl::DeadlineExceededError("uname timed out"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(RowString(t, 0), HasSubstr("arch=NULL"));
}

TEST(MacosOsVersionCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("sw_vers"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("not installed"));
}

TEST(MacosOsVersionCollectorTest, ErrorExitIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("sw_vers", Result(1, "", "sw_vers: unrecognized option\n"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("unrecognized option"));
}

TEST(MacosOsVersionCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set("sw_vers", Ok(Fixture("sw_vers_truncated.txt")));
  runner.Set("uname -m", Ok("arm64\n"));
  auto collector = NewOsVersionCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("sw_vers: no ProductVersion"));
}

}  // namespace
}  // namespace trellis::agent::macos_facts
