// trellisctl's command line: every command takes only its own flags, and a
// wrong command line stops before anything reaches a server (these runs
// point at credentials that do not exist, so reaching the connection step
// shows up as "cannot read credentials").
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/trellisctl/ctl_main.h"

namespace trellis::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct CtlRun {
  int exit_code;
  std::string out;
  std::string err;
};

CtlRun Ctl(std::vector<std::string> args, const std::string& input = "",
           bool interactive = false) {
  args.insert(args.begin(), {"--credentials", "/nonexistent/creds"});
  std::istringstream in(input);
  std::ostringstream out, err;
  int code = RunCtl(args, CtlIo{in, out, err, interactive});
  return {code, out.str(), err.str()};
}

constexpr char kDevice[] = "daaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kNoConnection[] = "cannot read credentials";

TEST(CommandLineTest, ForeignFlagOnRevokeIsAnErrorNamingIt) {
  CtlRun r =
      Ctl({"device", "revoke", kDevice, "--reason", "R", "--dry-run", "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dry-run"));
  EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
}

TEST(CommandLineTest, FlagsOfOtherCommandsAreRefused) {
  struct Case {
    std::vector<std::string> args;
    std::string foreign;
  };
  for (const Case& c : std::vector<Case>{
           {{"device", "list", "--reason", "x"}, "--reason"},
           {{"device", "show", kDevice, "--until", "7d"}, "--until"},
           {{"token", "list", "--group", "staff"}, "--group"},
           {{"policy", "show", "--prune"}, "--prune"},
           {{"audit", "verify", "--limit", "3"}, "--limit"},
           {{"whoami", "--all"}, "--all"}}) {
    CtlRun r = Ctl(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.foreign;
    EXPECT_THAT(r.err, HasSubstr(c.foreign));
    EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
  }
}

TEST(CommandLineTest, OwnFlagsAreAcceptedAndReachTheConnection) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"device", "list", "--group", "staff", "--state", "active",
            "--compliance", "grace", "--search", "lap", "--limit", "5"},
           {"device", "show", "laptop-1", "--facts"},
           {"device", "show", kDevice, "--json"},
           {"--json", "token", "list", "--all"},
           {"exception", "add", kDevice, "p/c", "--until", "7d", "--reason",
            "r"},
           {"audit", "list", "--after", "3", "--limit", "10"}}) {
    CtlRun r = Ctl(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(kNoConnection));
  }
}

TEST(CommandLineTest, BadValuesAndMissingArgumentsAreNamed) {
  CtlRun state = Ctl({"device", "list", "--state", "lost"});
  EXPECT_EQ(state.exit_code, 2);
  EXPECT_THAT(state.err, HasSubstr("--state"));
  CtlRun limit = Ctl({"device", "list", "--limit", "many"});
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_THAT(limit.err, HasSubstr("--limit"));
  CtlRun reason = Ctl({"device", "retire", kDevice, "--yes"});
  EXPECT_EQ(reason.exit_code, 2);
  EXPECT_THAT(reason.err, HasSubstr("--reason"));
  CtlRun extra = Ctl({"token", "revoke", "a", "b"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("b"));
  CtlRun unknown = Ctl({"device", "explode"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("explode"));
  CtlRun none = Ctl({});
  EXPECT_EQ(none.exit_code, 2);
}

TEST(CommandLineTest, DestructiveCommandsWithoutTerminalNeedYes) {
  for (const char* verb : {"revoke", "retire"}) {
    CtlRun r = Ctl({"device", verb, kDevice, "--reason", "stolen"});
    EXPECT_EQ(r.exit_code, 2) << verb;
    EXPECT_THAT(r.err, HasSubstr("pass --yes"));
    EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
    // --yes goes on to the server.
    CtlRun yes = Ctl({"device", verb, kDevice, "--reason", "stolen", "--yes"});
    EXPECT_THAT(yes.err, HasSubstr(kNoConnection));
  }
}

TEST(CommandLineTest, HelpAndVersionGoToStdoutAndSucceed) {
  CtlRun help = Ctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "");
  for (const char* group : {"device", "token", "policy", "exception", "audit",
                            "compliance", "facts", "whoami"}) {
    EXPECT_THAT(help.out, HasSubstr(group));
  }
  CtlRun revoke = Ctl({"device", "revoke", "--help"});
  EXPECT_EQ(revoke.exit_code, 0);
  EXPECT_THAT(revoke.out, HasSubstr("--reason"));
  EXPECT_THAT(revoke.out, HasSubstr("--yes"));
  EXPECT_THAT(revoke.out, Not(HasSubstr("--dry-run")));
  CtlRun apply = Ctl({"policy", "apply", "-h"});
  EXPECT_EQ(apply.exit_code, 0);
  EXPECT_THAT(apply.out, HasSubstr("--prune"));
  CtlRun version = Ctl({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "trellisctl " TRELLIS_VERSION "\n");
}

TEST(CommandLineTest, OfflineCommandsNeedNoCredentials) {
  CtlRun facts = Ctl({"facts", "reference"});
  EXPECT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_THAT(facts.out, HasSubstr("os_version"));
  CtlRun validate = Ctl({"policy", "validate", TRELLIS_SOURCE_DIR "/policies"});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_THAT(validate.out, HasSubstr("all valid"));
}

}  // namespace
}  // namespace trellis::ctl
