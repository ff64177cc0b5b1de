#include "agent/cli/command_line.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace trellis::agent {

const char kAgentUsage[] =
    "usage:\n"
    "  trellis-agent enroll --token TOKEN [--state-dir DIR] [--server ADDR]\n"
    "                       [--no-vpn]\n"
    "  trellis-agent run [--once] [--state-dir DIR] [--interval 5m]\n"
    "                    [--max-backoff 5m] [--log-level info]\n"
    "                    [--no-vpn] [--vpn-interface trellis0]\n"
    "      --no-vpn: send no WireGuard key and leave any tunnel alone\n"
    "      --vpn-interface: the WireGuard interface the agent manages (Linux;\n"
    "      at most 15 characters, unique per machine)\n"
    "  trellis-agent status [--json] [--state-dir DIR] [--vpn-interface NAME]\n"
    "      enrolment, compliance state, deadline, failing checks, VPN; works\n"
    "      for a normal user; exit 0 enrolled, 3 not enrolled, 4 cannot tell\n"
    "  trellis-agent check [--json] [--state-dir DIR]\n"
    "      evaluate this device against the held policy bundle; exit 0 only\n"
    "      when it meets policy (exceptions IT granted count)\n"
    "  trellis-agent show-data [--json] [--state-dir DIR]\n"
    "                          [--ownership corporate|personal]\n"
    "      exactly what this device sends, grouped by privacy class; before\n"
    "      enrolment, what it would send\n"
    "  trellis-agent diagnose NAME [--param K=V ...] [--json] [--state-dir "
    "DIR]\n"
    "  trellis-agent diagnose --list [--json]\n"
    "      run one of the help desk's named diagnostics here, streaming its\n"
    "      output; exit 0 succeeded, 1 failed, 3 refused\n"
    "  trellis-agent consent grant [--for 1h] | revoke | status\n"
    "                        [--state-dir DIR]\n"
    "      allow detailed diagnostics on this personal device (at most 24h)\n"
    "  trellis-agent --version | --help\n";

std::string AgentVersionLine() {
  return absl::StrCat("trellis-agent ", TRELLIS_VERSION, "\n");
}

namespace {

// Flags every command takes.
const std::set<std::string> kCommonValues = {"state-dir", "log-level"};

const std::map<std::string, ArgSpec>& CommandSpecs() {
  static const auto* specs = new std::map<std::string, ArgSpec>{
      {"enroll", {{"token", "server"}, {"no-vpn"}}},
      {"run",
       {{"interval", "max-backoff", "vpn-interface"}, {"once", "no-vpn"}}},
      {"status", {{"vpn-interface"}, {"json"}}},
      {"check", {{}, {"json"}}},
      {"show-data", {{"ownership"}, {"json"}}},
  };
  return *specs;
}

// Commands that parse their own words (a repeatable --param, an action
// word): agent/diagnostics/diagnose_command.h.
const std::set<std::string> kSelfParsed = {"diagnose", "consent"};

CommandLine Error(std::string text) {
  CommandLine line;
  line.action = CommandLine::Action::kError;
  line.error = std::move(text);
  return line;
}

}  // namespace

CommandLine ParseCommandLine(const std::vector<std::string>& argv) {
  CommandLine line;
  if (argv.empty()) return Error("no command given");
  const std::string& first = argv[0];
  if (first == "--help" || first == "-h" || first == "help") {
    line.action = CommandLine::Action::kHelp;
    return line;
  }
  if (first == "--version" || first == "version") {
    line.action = CommandLine::Action::kVersion;
    return line;
  }
  if (absl::StartsWith(first, "-")) {
    return Error(absl::StrCat("unknown flag '", first, "'"));
  }
  auto spec = CommandSpecs().find(first);
  if (spec == CommandSpecs().end() && !kSelfParsed.count(first)) {
    return Error(absl::StrCat("unknown command '", first, "'"));
  }
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  for (const std::string& a : rest) {
    if (a == "--help" || a == "-h") {
      line.action = CommandLine::Action::kHelp;
      return line;
    }
  }
  if (kSelfParsed.count(first)) {
    line.action = CommandLine::Action::kCommand;
    line.command = first;
    line.args.positional = std::move(rest);
    return line;
  }
  ArgSpec with_common = spec->second;
  with_common.value_flags.insert(kCommonValues.begin(), kCommonValues.end());
  auto args = ParseArgs(rest, with_common);
  if (!args.ok()) {
    return Error(absl::StrCat(first, ": ", args.status().message()));
  }
  if (!args->positional.empty()) {
    return Error(absl::StrCat(first, ": unexpected argument '",
                              args->positional[0], "'"));
  }
  line.action = CommandLine::Action::kCommand;
  line.command = first;
  line.args = *std::move(args);
  return line;
}

}  // namespace trellis::agent
