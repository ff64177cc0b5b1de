#include "agent/cli/command_line.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Action = CommandLine::Action;

TEST(CommandLineTest, VersionAndHelpSucceed) {
  EXPECT_EQ(ParseCommandLine({"--version"}).action, Action::kVersion);
  EXPECT_EQ(AgentVersionLine(),
            std::string("trellis-agent ") + TRELLIS_VERSION + "\n");
  EXPECT_EQ(ParseCommandLine({"--help"}).action, Action::kHelp);
  EXPECT_EQ(ParseCommandLine({"-h"}).action, Action::kHelp);
  EXPECT_EQ(ParseCommandLine({"status", "--help"}).action, Action::kHelp);
  EXPECT_THAT(AgentUsage(), HasSubstr("--ownership corporate|personal"));
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

// A value a flag cannot take stops the command line (exit 2 in main), naming
// the flag and what it takes, instead of failing later (exit 1) or not at
// all.
TEST(CommandLineTest, BadValuesAreErrorsNamingTheFlag) {
  struct Case {
    std::vector<std::string> argv;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {{"run", "--interval", "0"},
            "run: --interval must be between 1s and 1d (got 0s)"},
           {{"run", "--interval", "25h"}, "--interval must be between 1s and"},
           {{"run", "--interval", "99999999999d"},
            "--interval must be between 1s and 1d (got 99999999999d)"},
           {{"run", "--interval", "5 minutes"},
            "--interval: bad duration '5 minutes'"},
           {{"run", "--max-backoff", "-1"}, "--max-backoff: bad duration '-1'"},
           {{"run", "--max-backoff", "0s"},
            "--max-backoff must be between 1s and 1d"},
           {{"run", "--log-level", "loud"},
            "--log-level must be debug, info, warning or error"},
           {{"check", "--log-level", "loud"}, "--log-level must be"},
           {{"enroll", "--token", "t", "--server", "garbage"},
            "enroll: --server: 'garbage' is not host:port"},
           {{"enroll", "--token", "t", "--server", "127.0.0.1:99999"},
            "the port must be 1-65535"},
           {{"enroll", "--token", "t", "--server", "fd00::1:443"},
            "IPv6 host in brackets"},
           {{"status", "--vpn-interface", "averyveryverylongname"},
            "--vpn-interface: interface name 'averyveryverylongname'"},
           {{"run", "--vpn-interface", "-x"}, "--vpn-interface"},
           {{"show-data", "--ownership", "both"},
            "--ownership must be corporate or personal, not 'both'"},
       }) {
    CommandLine line = ParseCommandLine(c.argv);
    EXPECT_EQ(line.action, Action::kError) << c.error;
    EXPECT_THAT(line.error, HasSubstr(c.error));
  }
}

TEST(CommandLineTest, GoodValuesAreTaken) {
  CommandLine run =
      ParseCommandLine({"run", "--interval", "24h", "--max-backoff", "1s",
                        "--vpn-interface", "wg_trellis-1"});
  ASSERT_EQ(run.action, Action::kCommand) << run.error;
  EXPECT_EQ(run.interval, absl::Hours(24));
  EXPECT_EQ(run.max_backoff, absl::Seconds(1));
  CommandLine plain = ParseCommandLine({"run"});
  ASSERT_EQ(plain.action, Action::kCommand) << plain.error;
  EXPECT_FALSE(plain.interval.has_value());
  EXPECT_FALSE(plain.max_backoff.has_value());
  CommandLine enroll = ParseCommandLine(
      {"enroll", "--token", "t", "--server", "[fd00::1]:8443"});
  EXPECT_EQ(enroll.action, Action::kCommand) << enroll.error;
}

// The usage text from the line "  trellis-agent NAME" to the next command.
std::string UsageOf(const std::string& usage, const std::string& name) {
  size_t start = usage.find(absl::StrCat("\n  trellis-agent ", name, " "));
  if (start == std::string::npos) return "";
  size_t end = usage.find("\n  trellis-agent ", start + 1);
  return usage.substr(start, end == std::string::npos ? end : end - start);
}

TEST(CommandLineTest, UsageListsExactlyTheFlagsEachCommandTakes) {
  const std::string usage = AgentUsage();
  for (const CommandDoc& command : AgentCommands()) {
    std::string section = UsageOf(usage, command.name);
    ASSERT_FALSE(section.empty()) << command.name;
    for (const FlagDoc& flag : command.flags) {
      EXPECT_THAT(section, HasSubstr(absl::StrCat("--", flag.name, " ")))
          << command.name;
      // And the parser takes it.
      std::vector<std::string> argv = {command.name,
                                       absl::StrCat("--", flag.name)};
      if (!flag.value.empty()) argv.push_back("x");
      CommandLine line = ParseCommandLine(argv);
      EXPECT_THAT(line.error, Not(HasSubstr("unknown option")))
          << command.name << " --" << flag.name;
    }
  }
  // Every command takes --log-level, which the usage once showed for run
  // only.
  EXPECT_THAT(UsageOf(usage, "check"), HasSubstr("--log-level"));
  EXPECT_THAT(UsageOf(usage, "run"), HasSubstr("1s-1d"));
}

}  // namespace
}  // namespace trellis::agent
