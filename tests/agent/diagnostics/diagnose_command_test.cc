#include "agent/diagnostics/diagnose_command.h"

#include <sstream>

#include "agent/cli/command_line.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/consent.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/diagnostics/diagnostics_test_util.h"

namespace trellis::agent::diagnostics {
namespace {

using testing::DiagnosticsHarness;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(DiagnoseCommandTest, TheAgentCommandLineHandsTheWordsOver) {
  CommandLine line = ParseCommandLine(
      {"diagnose", "dns-resolve", "--param", "names=a.example", "--param=x=1"});
  ASSERT_EQ(line.action, CommandLine::Action::kCommand) << line.error;
  EXPECT_EQ(line.command, "diagnose");
  EXPECT_EQ(line.args.positional,
            (std::vector<std::string>{"dns-resolve", "--param",
                                      "names=a.example", "--param=x=1"}));
  EXPECT_EQ(ParseCommandLine({"consent", "grant"}).command, "consent");
  EXPECT_THAT(AgentUsage(), HasSubstr("trellis-agent diagnose NAME"));
}

TEST(DiagnoseCommandTest, ParamsRepeatAndBadWordsAreNamed) {
  auto args =
      ParseDiagnoseArgs({"dns-resolve", "--param", "names=a.example",
                         "--param=lines=3", "--json", "--state-dir", "/s"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->name, "dns-resolve");
  EXPECT_EQ(args->params.size(), 2u);
  EXPECT_EQ(args->params[1].first, "lines");
  EXPECT_TRUE(args->json);
  EXPECT_EQ(args->state_dir, "/s");

  EXPECT_THAT(ParseDiagnoseArgs({"a", "b"}).status().message(),
              HasSubstr("diagnose: unexpected argument 'b'"));
  EXPECT_THAT(ParseDiagnoseArgs({"a", "--bogus"}).status().message(),
              HasSubstr("diagnose: unknown option --bogus"));
  EXPECT_THAT(ParseDiagnoseArgs({"a", "--param"}).status().message(),
              HasSubstr("--param needs a value"));
  EXPECT_THAT(ParseDiagnoseArgs({"a", "--param", "novalue"}).status().message(),
              HasSubstr("--param needs NAME=VALUE"));
  EXPECT_THAT(ParseDiagnoseArgs({}).status().message(),
              HasSubstr("name a diagnostic"));
  EXPECT_THAT(ParseDiagnoseArgs({"--list", "a"}).status().message(),
              HasSubstr("--list takes no diagnostic name"));
  EXPECT_TRUE(ParseDiagnoseArgs({"--list", "--json"}).ok());
}

TEST(DiagnoseCommandTest, ListShowsEveryDiagnosticWithItsParameters) {
  std::string text = RenderCatalogue(Catalogue(), false);
  for (const DiagnosticSpec& spec : Catalogue()) {
    EXPECT_THAT(text, HasSubstr(spec.name + " ("));
  }
  EXPECT_THAT(text, HasSubstr("agent-log-tail (detailed, at most 15s and "
                              "65536 bytes)"));
  EXPECT_THAT(text, HasSubstr("--param lines: integer 1-1000 (default 100)"));
  EXPECT_THAT(text, HasSubstr("--param names: hostname, up to 8, "
                              "comma-separated (required)"));
  std::string json = RenderCatalogue(Catalogue(), true);
  EXPECT_THAT(json, HasSubstr("{\"name\":\"dns-resolve\""));
  EXPECT_THAT(json, HasSubstr("\"params\":[{\"name\":\"names\""));
  EXPECT_EQ(json.front(), '[');
}

TEST(DiagnoseCommandTest, OutputStreamsThroughTerminalSafe) {
  DiagnosticsHarness h;
  h.Enrol("corporate");
  h.Command("journalctl -u trellis-agent -n 100 --no-pager -o short-iso",
            "line one\nevil \x1b]0;pwned\x07 title\n");
  DiagnosticRunner runner(h.env);
  DiagnoseArgs args;
  args.name = "agent-log-tail";
  std::ostringstream out, err;
  EXPECT_EQ(RunDiagnose(args, runner, out, err), 0);
  EXPECT_THAT(out.str(), Not(HasSubstr("\x1b")));
  EXPECT_THAT(out.str(), HasSubstr("line one\nevil \\e]0;pwned\\x07 title\n"));
  EXPECT_THAT(out.str(), HasSubstr("agent-log-tail: succeeded"));
}

TEST(DiagnoseCommandTest, JsonLinesAndExitCodes) {
  DiagnosticsHarness h;
  h.Enrol("personal");
  DiagnosticRunner runner(h.env);
  DiagnoseArgs args;
  args.name = "route-summary";
  args.json = true;
  std::ostringstream out, err;
  EXPECT_EQ(RunDiagnose(args, runner, out, err), 3);  // refused: no consent
  EXPECT_THAT(out.str(), HasSubstr("\"state\":\"refused\""));
  EXPECT_THAT(out.str(), HasSubstr("trellis-agent consent grant"));

  DiagnosticRunner failing(h.env);
  args.name = "clock-skew";
  args.json = false;
  std::ostringstream out2, err2;
  EXPECT_EQ(RunDiagnose(args, failing, out2, err2), 1);
  EXPECT_THAT(err2.str(), HasSubstr("clock-skew: failed: the server's time"));
}

TEST(DiagnoseCommandTest, ConsentCommand) {
  EXPECT_EQ(ParseConsentArgs({"grant"})->duration, kDefaultConsent);
  EXPECT_EQ(ParseConsentArgs({"grant", "--for", "2h"})->duration,
            absl::Hours(2));
  EXPECT_THAT(ParseConsentArgs({"grant", "--for", "48h"}).status().message(),
              HasSubstr("at most 1d, got 2d"));
  EXPECT_THAT(ParseConsentArgs({"grant", "--for", "soon"}).status().message(),
              HasSubstr("--for needs a duration"));
  EXPECT_THAT(ParseConsentArgs({"revoke", "--for", "1h"}).status().message(),
              HasSubstr("--for goes with grant only"));
  EXPECT_THAT(ParseConsentArgs({}).status().message(),
              HasSubstr("say grant, revoke or status"));
  EXPECT_THAT(ParseConsentArgs({"allow"}).status().message(),
              HasSubstr("unexpected argument 'allow'"));

  DiagnosticsHarness h;
  h.Enrol("personal");
  std::ostringstream out, err;
  EXPECT_EQ(
      RunConsent(*ParseConsentArgs({"status"}), h.state, h.clock, out, err), 1);
  EXPECT_EQ(RunConsent(*ParseConsentArgs({"grant", "--for", "30m"}), h.state,
                       h.clock, out, err),
            0);
  EXPECT_THAT(out.str(), HasSubstr("allowed on this device until"));
  EXPECT_EQ(
      RunConsent(*ParseConsentArgs({"status"}), h.state, h.clock, out, err), 0);
  h.clock.Advance(absl::Minutes(31));
  std::ostringstream after;
  EXPECT_EQ(
      RunConsent(*ParseConsentArgs({"status"}), h.state, h.clock, after, err),
      1);
  EXPECT_THAT(after.str(), HasSubstr("consent expired at"));
}

}  // namespace
}  // namespace trellis::agent::diagnostics
