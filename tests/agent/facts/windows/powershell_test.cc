#include "agent/facts/windows/powershell.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/windows/windows_test_util.h"

namespace trellis::agent::windows_facts {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using windows_test::Fixture;
using windows_test::Ok;
using windows_test::Result;

TEST(WindowsPowerShellTest, ArgvIsOnePipelineEndingInConvertToJson) {
  EXPECT_THAT(
      PowerShellJsonArgv("Get-Thing | Select-Object A"),
      ElementsAre("powershell.exe", "-NoProfile", "-NonInteractive", "-Command",
                  "$ProgressPreference = 'SilentlyContinue'; "
                  "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; "
                  "Get-Thing | Select-Object A | ConvertTo-Json -Depth 3"));
}

TEST(WindowsPowerShellTest, SingleObjectIsNotWrappedInAnArray) {
  auto objects = ParsePowerShellObjects(Fixture("defender_ok.json"));
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 1u);
  EXPECT_EQ(GetBool((*objects)[0], "AMServiceEnabled"), true);
}

TEST(WindowsPowerShellTest, ArrayOfObjects) {
  auto objects = ParsePowerShellObjects(Fixture("firewall_profiles.json"));
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ(GetString((*objects)[2], "Name"), "Public");
}

TEST(WindowsPowerShellTest, EmptyOutputIsNoObjects) {
  auto objects = ParsePowerShellObjects(Fixture("wu_updates_empty.txt"));
  ASSERT_TRUE(objects.ok()) << objects.status();
  EXPECT_TRUE(objects->empty());
  EXPECT_TRUE(ParsePowerShellObjects(" \r\n").value().empty());
}

TEST(WindowsPowerShellTest, ByteOrderMarkAndCrLf) {
  auto objects = ParsePowerShellObjects(Fixture("bitlocker_bom_crlf.json"));
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 1u);
  EXPECT_EQ(GetString((*objects)[0], "MountPoint"), "C:");
}

TEST(WindowsPowerShellTest, WarningLinesBeforeTheJsonAreSkipped) {
  auto objects = ParsePowerShellObjects(Fixture("firewall_warning_prefix.txt"));
  ASSERT_TRUE(objects.ok()) << objects.status();
  EXPECT_EQ(objects->size(), 3u);
}

TEST(WindowsPowerShellTest, BrokenOutputsAreErrors) {
  EXPECT_THAT(ParsePowerShellObjects(Fixture("bitlocker_truncated.json"))
                  .status()
                  .message(),
              HasSubstr("unreadable JSON"));
  EXPECT_THAT(ParsePowerShellObjects("Zugriff verweigert\n").status().message(),
              HasSubstr("no JSON in output: 'Zugriff verweigert'"));
  EXPECT_THAT(ParsePowerShellObjects("\"C:\"").status().message(),
              HasSubstr("not an object or array"));
  EXPECT_THAT(ParsePowerShellObjects("[1, 2]").status().message(),
              HasSubstr("other than objects"));
}

TEST(WindowsPowerShellTest, OemCodePageBytesAreRejectedNotMisread) {
  // Without the UTF-8 console switch a German "ü" arrives as a lone 0xFC
  // byte; that must not turn into a wrong account name.
  EXPECT_FALSE(
      ParsePowerShellObjects(Fixture("local_users_cp850_mangled.json")).ok());
}

TEST(WindowsPowerShellTest, ScalarValues) {
  auto value = ParsePowerShellJson(Fixture("secureboot_true.json"));
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->kind_case(), Value::kBoolValue);
  EXPECT_TRUE(value->bool_value());
  EXPECT_EQ(ParsePowerShellJson("").value().kind_case(), Value::kNullValue);
}

TEST(WindowsPowerShellTest, FieldReadersAcceptPowerShellForms) {
  auto objects = ParsePowerShellObjects(
      R"({"b1": true, "b2": 0, "b3": "False", "b4": 2, "n1": 7, "n2": "42",
          "n3": 1.5, "s": "  text  ", "e1": 4, "e2": "block", "nul": null})");
  ASSERT_TRUE(objects.ok()) << objects.status();
  const Struct& o = (*objects)[0];
  EXPECT_EQ(GetBool(o, "b1"), true);
  EXPECT_EQ(GetBool(o, "b2"), false);
  EXPECT_EQ(GetBool(o, "b3"), false);
  EXPECT_EQ(GetBool(o, "b4"), std::nullopt);
  EXPECT_EQ(GetBool(o, "missing"), std::nullopt);
  EXPECT_EQ(GetInteger(o, "n1"), 7);
  EXPECT_EQ(GetInteger(o, "n2"), 42);
  EXPECT_EQ(GetInteger(o, "n3"), std::nullopt);
  EXPECT_EQ(GetInteger(o, "nul"), std::nullopt);
  EXPECT_EQ(GetString(o, "s"), "text");
  EXPECT_EQ(GetString(o, "n1"), std::nullopt);
  EXPECT_THAT(GetEnum(o, "e1", {{"Block", 4}}), Optional(4));
  EXPECT_THAT(GetEnum(o, "e2", {{"Allow", 2}, {"Block", 4}}), Optional(4));
  EXPECT_EQ(GetEnum(o, "s", {{"Block", 4}}), std::nullopt);
}

TEST(WindowsPowerShellTest, FailureFromExitStatusAndStderr) {
  EXPECT_EQ(PowerShellFailure(Ok("{}")), std::nullopt);
  EXPECT_THAT(PowerShellFailure(
                  Result(1, "", Fixture("bitlocker_not_recognized_de.txt"))),
              Optional(HasSubstr("exited with status 1: Get-BitLockerVolume : "
                                 "Die Benennung")));
  // A non-terminating error can leave the exit status 0.
  EXPECT_THAT(PowerShellFailure(Ok("", Fixture("bitlocker_access_denied.txt"))),
              Optional(HasSubstr("reported an error: Get-CimInstance : "
                                 "Access denied")));
  EXPECT_THAT(PowerShellFailure(Result(1, "", "")),
              Optional(HasSubstr("no output")));
}

TEST(WindowsPowerShellTest, ClixmlProgressIsNotAnError) {
  EXPECT_EQ(PowerShellFailure(Ok(Fixture("firewall_profiles.json"),
                                 Fixture("clixml_progress_stderr.txt"))),
            std::nullopt);
  EXPECT_THAT(
      PowerShellFailure(Result(1, "", Fixture("clixml_error_stderr.txt"))),
      Optional(HasSubstr(
          "exited with status 1: Get-NetFirewallProfile : Accès refusé.")));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
