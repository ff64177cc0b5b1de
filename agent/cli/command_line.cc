#include "agent/cli/command_line.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/vpn/linux/linux_tunnel_controller.h"
#include "common/util/logging.h"

namespace trellis::agent {
namespace {

// Flags every command takes.
const FlagDoc kStateDir = {
    "state-dir", "DIR",
    "the agent's state (default /var/lib/trellis-agent as root, else "
    "~/.local/state/trellis-agent)"};
const FlagDoc kLogLevel = {"log-level", "LEVEL",
                           "debug, info (default), warning or error"};
const FlagDoc kJson = {"json", "", "print JSON"};
const FlagDoc kNoVpn = {"no-vpn", "",
                        "send no WireGuard key and leave any tunnel alone"};
const FlagDoc kVpnInterface = {
    "vpn-interface", "NAME",
    "the WireGuard interface the agent manages (Linux; 1-15 letters, "
    "digits, '_' or '-', unique per machine; default trellis0)"};

// Commands that parse their own words (a repeatable --param, an action
// word): agent/diagnostics/diagnose_command.h.
const std::set<std::string> kSelfParsed = {"diagnose", "consent"};

CommandLine Error(std::string text) {
  CommandLine line;
  line.action = CommandLine::Action::kError;
  line.error = std::move(text);
  return line;
}

// The values of the flags that take one with rules of their own; the
// others (paths, the token) are checked where they are used.
absl::Status CheckValues(const ParsedArgs& args, CommandLine* line) {
  if (args.Has("interval")) {
    auto d = ParseDurationFlag("interval", args.Get("interval"),
                               kMinRunInterval, kMaxRunInterval);
    if (!d.ok()) return d.status();
    line->interval = *d;
  }
  if (args.Has("max-backoff")) {
    auto d = ParseDurationFlag("max-backoff", args.Get("max-backoff"),
                               kMinMaxBackoff, kMaxMaxBackoff);
    if (!d.ok()) return d.status();
    line->max_backoff = *d;
  }
  if (args.Has("server")) {
    absl::Status s = CheckEndpointFlag("server", args.Get("server"));
    if (!s.ok()) return s;
  }
  if (args.Has("vpn-interface")) {
    absl::Status s =
        linux_vpn::ValidateInterfaceName(args.Get("vpn-interface"));
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--vpn-interface: ", s.message()));
    }
  }
  if (args.Has("log-level")) {
    LogLevel level;
    if (!ParseLogLevel(args.Get("log-level"), &level)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--log-level must be debug, info, warning or error, not '",
          args.Get("log-level"), "'"));
    }
  }
  if (args.Has("ownership") && args.Get("ownership") != "corporate" &&
      args.Get("ownership") != "personal") {
    return absl::InvalidArgumentError(
        absl::StrCat("--ownership must be corporate or personal, not '",
                     args.Get("ownership"), "'"));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<CommandDoc>& AgentCommands() {
  static const auto* commands = new std::vector<CommandDoc>{
      {"enroll",
       "enrol this device with the token IT gave you",
       {{"token", "TOKEN", "required: the enrolment token"},
        {"server", "HOST:PORT",
         "server to enrol with; port 1-65535, IPv6 in brackets (default: "
         "the one in the token)"},
        kNoVpn,
        kStateDir,
        kLogLevel}},
      {"run",
       "check in now and then, renew the certificate, keep the VPN in step",
       {{"once", "", "one check-in, then exit"},
        {"interval", "DURATION",
         absl::StrCat("time between check-ins, ",
                      FormatDurationRange(kMinRunInterval, kMaxRunInterval),
                      " (default: what the server asks)")},
        {"max-backoff", "DURATION",
         absl::StrCat("longest wait between failed attempts, ",
                      FormatDurationRange(kMinMaxBackoff, kMaxMaxBackoff),
                      " (default 5m)")},
        kNoVpn,
        kVpnInterface,
        kStateDir,
        kLogLevel}},
      {"status",
       "enrolment, compliance state, deadline, failing checks, VPN; works "
       "for a normal user; exit 0 enrolled, 3 not enrolled, 4 cannot tell",
       {kJson, kVpnInterface, kStateDir, kLogLevel}},
      {"check",
       "evaluate this device against the held policy bundle; exit 0 only "
       "when it meets policy (exceptions IT granted count)",
       {kJson, kStateDir, kLogLevel}},
      {"show-data",
       "exactly what this device sends, grouped by privacy class; before "
       "enrolment, what it would send",
       {{"ownership", "corporate|personal",
         "show what a device of this ownership would send"},
        kJson,
        kStateDir,
        kLogLevel}},
  };
  return *commands;
}

std::string AgentUsage() {
  std::string out = "usage:\n";
  for (const CommandDoc& command : AgentCommands()) {
    absl::StrAppend(&out, "  trellis-agent ", command.name, " [flags]\n",
                    WrapText(command.summary, 6),
                    FormatFlagDocs(command.flags, 6));
  }
  // These parse their own words (a repeatable --param, an action word).
  absl::StrAppend(
      &out,
      "  trellis-agent diagnose NAME [--param K=V ...] [--json] "
      "[--state-dir DIR]\n"
      "  trellis-agent diagnose --list [--json]\n"
      "      run one of the help desk's named diagnostics here, streaming its\n"
      "      output; exit 0 succeeded, 1 failed, 3 refused\n"
      "  trellis-agent consent grant [--for 1h] | revoke | status "
      "[--state-dir DIR]\n"
      "      allow detailed diagnostics on this personal device (at most "
      "24h)\n");
  absl::StrAppend(&out,
                  "  trellis-agent --version | --help\n"
                  "Durations are written 90s, 15m, 24h or 7d.\n");
  return out;
}

std::string AgentVersionLine() {
  return absl::StrCat("trellis-agent ", TRELLIS_VERSION, "\n");
}

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
  const CommandDoc* command = nullptr;
  for (const CommandDoc& c : AgentCommands()) {
    if (c.name == first) command = &c;
  }
  if (command == nullptr && !kSelfParsed.count(first)) {
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
  auto args = ParseFlags(rest, command->flags);
  if (!args.ok()) {
    return Error(absl::StrCat(first, ": ", args.status().message()));
  }
  absl::Status values = CheckValues(*args, &line);
  if (!values.ok()) return Error(absl::StrCat(first, ": ", values.message()));
  line.action = CommandLine::Action::kCommand;
  line.command = first;
  line.args = *std::move(args);
  return line;
}

}  // namespace trellis::agent
