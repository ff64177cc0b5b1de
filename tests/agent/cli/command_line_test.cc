#include "agent/cli/command_line.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using Action = CommandLine::Action;

TEST(CommandLineTest, VersionAndHelpSucceed) {
  EXPECT_EQ(ParseCommandLine({"--version"}).action, Action::kVersion);
  EXPECT_EQ(AgentVersionLine(),
            std::string("trellis-agent ") + TRELLIS_VERSION + "\n");
  EXPECT_EQ(ParseCommandLine({"--help"}).action, Action::kHelp);
  EXPECT_EQ(ParseCommandLine({"-h"}).action, Action::kHelp);
  EXPECT_EQ(ParseCommandLine({"status", "--help"}).action, Action::kHelp);
  EXPECT_THAT(kAgentUsage, HasSubstr("--ownership corporate|personal"));
}

TEST(CommandLineTest, UnknownFlagsAreErrorsNamingTheFlag) {
  CommandLine top = ParseCommandLine({"--bogus"});
  EXPECT_EQ(top.action, Action::kError);
  EXPECT_THAT(top.error, HasSubstr("unknown flag '--bogus'"));

  CommandLine in_command = ParseCommandLine({"status", "--jsn"});
  EXPECT_EQ(in_command.action, Action::kError);
  EXPECT_THAT(in_command.error, HasSubstr("--jsn"));

  // A flag of another command is no flag of this one.
  CommandLine other = ParseCommandLine({"status", "--token", "t"});
  EXPECT_EQ(other.action, Action::kError);
  EXPECT_THAT(other.error, HasSubstr("--token"));

  CommandLine stray = ParseCommandLine({"check", "now"});
  EXPECT_EQ(stray.action, Action::kError);
  EXPECT_THAT(stray.error, HasSubstr("unexpected argument 'now'"));

  EXPECT_THAT(ParseCommandLine({"frobnicate"}).error,
              HasSubstr("unknown command 'frobnicate'"));
  EXPECT_EQ(ParseCommandLine({}).action, Action::kError);
}

TEST(CommandLineTest, EachCommandTakesItsOwnFlags) {
  CommandLine show = ParseCommandLine(
      {"show-data", "--ownership", "personal", "--json", "--state-dir", "/s"});
  ASSERT_EQ(show.action, Action::kCommand) << show.error;
  EXPECT_EQ(show.command, "show-data");
  EXPECT_EQ(show.args.Get("ownership"), "personal");
  EXPECT_TRUE(show.args.Has("json"));
  EXPECT_EQ(show.args.Get("state-dir"), "/s");

  CommandLine run = ParseCommandLine(
      {"run", "--once", "--interval=5m", "--no-vpn", "--log-level", "debug"});
  ASSERT_EQ(run.action, Action::kCommand) << run.error;
  EXPECT_TRUE(run.args.Has("once"));
  EXPECT_EQ(run.args.Get("interval"), "5m");

  CommandLine enroll = ParseCommandLine({"enroll", "--token", "t"});
  ASSERT_EQ(enroll.action, Action::kCommand) << enroll.error;
  EXPECT_EQ(enroll.args.Get("token"), "t");
}

}  // namespace
}  // namespace trellis::agent
