// trellis-agent: runs on the device.
//
//   trellis-agent enroll --token TOKEN [--state-dir DIR] [--server ADDR]
//   trellis-agent run [--once] [--state-dir DIR] [--interval 5m]
//                     [--no-vpn] [--vpn-interface trellis0]
//   trellis-agent status [--json] [--state-dir DIR] [--vpn-interface NAME]
//   trellis-agent check [--json] [--state-dir DIR]
//   trellis-agent show-data [--json] [--state-dir DIR] [--ownership O]
//   trellis-agent diagnose NAME [--param K=V ...] [--json] | --list
//   trellis-agent consent grant [--for 1h] | revoke | status
//   trellis-agent --version | --help
// (flags per command: agent/cli/command_line.cc)
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <random>

#include "absl/synchronization/notification.h"
#include "agent/checkin/run_loop.h"
#include "agent/cli/command_line.h"
#include "agent/cli/device_commands.h"
#include "agent/cli/status_file.h"
#include "agent/cli/status_report.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/diagnose_command.h"
#include "agent/diagnostics/probes.h"
#include "agent/diagnostics/runner.h"
#include "agent/enroll/device_enrollment.h"
#include "agent/facts/platform_collectors.h"
#include "agent/vpn/linux/linux_tunnel_controller.h"
#include "agent/vpn/platform_tunnel.h"
#include "agent/vpn/tls_beacon_prober.h"
#include "agent/vpn/vpn_enforcer.h"
#include "agent/vpn/wireguard_identity.h"
#include "common/util/args.h"
#include "common/util/logging.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {
namespace {

absl::Notification* stop_requested = nullptr;

extern "C" void OnSignal(int) {
  // Notify() is not formally async-signal-safe; the flag below is what the
  // loop polls, Notify only wakes it sooner.
  if (stop_requested != nullptr && !stop_requested->HasBeenNotified()) {
    stop_requested->Notify();
  }
}

diagnostics::DiagnosticRunner* running_diagnostic = nullptr;

extern "C" void CancelDiagnostic(int) {
  // Cancel() only sets an atomic flag.
  if (running_diagnostic != nullptr) running_diagnostic->Cancel();
}

int Fail(const absl::Status& status) {
  // Errors can quote the server or the device.
  std::cerr << "trellis-agent: " << TerminalSafe(status.message()) << "\n";
  return 1;
}

int Enroll(const ParsedArgs& args) {
  if (!args.Has("token")) {
    std::cerr << "trellis-agent: enroll needs --token\n" << AgentUsage();
    return 2;
  }
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  EnrollOptions options;
  options.token = args.Get("token");
  options.server_override = args.Get("server");
  auto probe = DeviceProbe::Real();
  auto response = EnrollDevice(state, options, *probe);
  if (!response.ok()) return Fail(response.status());
  std::cout << "Enrolled as device " << TerminalSafe(response->device_id())
            << " (group " << TerminalSafe(response->group()) << ")\n";
  if (response->flagged_possible_clone()) {
    std::cout << "Note: another device with this hardware serial is already "
                 "enrolled; IT will review it.\n";
  }
  std::cout << "State: " << state.dir() << "\n";
  // So the employee can run `status` without root before the first
  // check-in.
  if (absl::Status written = WriteStatusFile(state, absl::Now());
      !written.ok()) {
    LogWarning("agent: ", written.message());
  }
  if (!args.Has("no-vpn")) {
    // Made now so the first check-in already carries it; a failure here is
    // retried at check-in.
    auto key = LoadOrCreateWireGuardKey(state);
    if (!key.ok()) LogWarning("vpn: ", key.status().message());
  }
  return 0;
}

std::string VpnInterface(const ParsedArgs& args) {
  return args.Get("vpn-interface", "trellis0");
}

int Run(const CommandLine& line) {
  const ParsedArgs& args = line.args;
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  RunOptions options;
  options.once = args.Has("once");
  if (line.interval.has_value()) {
    options.timing.interval = *line.interval;
    options.follow_server_interval = false;
  }
  if (line.max_backoff.has_value()) {
    options.timing.max_backoff = *line.max_backoff;
    options.timing.initial_backoff =
        std::min(options.timing.initial_backoff, *line.max_backoff);
  }
  absl::Notification stop;
  stop_requested = &stop;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto probe = DeviceProbe::Real();
  RunLoop loop(
      state, probe.get(),
      [&](absl::Duration d) { return !stop.WaitForNotificationWithTimeout(d); },
      [&] { return uniform(rng); });

  options.use_vpn = !args.Has("no-vpn");
  std::unique_ptr<TunnelController> tunnel;
  std::unique_ptr<TunnelController> reference;
  TlsBeaconProber prober;
  std::unique_ptr<VpnEnforcer> vpn;
  if (options.use_vpn) {
    const std::string name = VpnInterface(args);
    auto record = state.LoadRecord();
    if (!record.ok()) return Fail(record.status());
    auto key = LoadOrCreateWireGuardKey(state);
    if (!key.ok()) return Fail(key.status());
    PlatformTunnelConfig config;
    config.state = &state;
    config.runner = &probe->runner();
    config.interface_name = name;
    config.private_key = key->private_key;
    config.public_key = key->public_key;
    config.device_id = record->device_id;
    tunnel = MakePlatformTunnelController(config);
    reference = MakeReferenceProfileWriter(config);
    vpn = std::make_unique<VpnEnforcer>(state, &probe->system(), &prober,
                                        tunnel.get(), reference.get(),
                                        probe->clock());
    loop.set_vpn(vpn.get());
  }
  absl::Status s = loop.Run(options);
  if (!s.ok()) return Fail(s);
  if (options.once) std::cout << "Check-in accepted.\n";
  return 0;
}

// status, check and show-data read what this user may (see status_file.h).
AgentState StateForReading(const ParsedArgs& args) {
  return AgentState(StateDirForReading(args.Get("state-dir"), ::geteuid() == 0,
                                       DefaultStateDir()));
}

int Print(const CommandOutput& output) {
  std::cout << output.out;
  std::cerr << output.err;
  return output.exit_code;
}

int ShowData(const ParsedArgs& args) {
  ShowDataOptions options;
  options.ownership = args.Get("ownership");
  options.json = args.Has("json");
  options.as_normal_user = ::geteuid() != 0;
  auto probe = DeviceProbe::Real();
  return Print(
      RunShowData(StateForReading(args), *probe, options, RealFileReader()));
}

int Check(const ParsedArgs& args) {
  auto probe = DeviceProbe::Real();
  return Print(RunCheck(StateForReading(args), *probe, args.Has("json"),
                        absl::Now(), RealFileReader()));
}

int Status(const ParsedArgs& args) {
  AgentState state = StateForReading(args);
  RealCommandRunner runner;
  PlatformTunnelConfig config;
  config.state = &state;
  config.runner = &runner;
  config.interface_name = VpnInterface(args);
  auto tunnel = MakePlatformTunnelController(config);
  DeviceView view = LoadDeviceView(state, RealFileReader());
  std::cout << StatusReport(view, state, absl::Now(), args.Has("json"),
                            tunnel.get());
  return StatusExitCode(view);
}

int UsageError(const absl::Status& status) {
  std::cerr << "trellis-agent: " << TerminalSafe(status.message())
            << "\nrun 'trellis-agent --help' for usage\n";
  return 2;
}

int Diagnose(const std::vector<std::string>& words) {
  auto args = diagnostics::ParseDiagnoseArgs(words);
  if (!args.ok()) return UsageError(args.status());
  if (!args->log_level.empty()) {
    if (absl::Status s = SetLogLevelFlag(args->log_level); !s.ok()) {
      return Fail(s);
    }
  }
  if (args->list) {
    std::cout << diagnostics::RenderCatalogue(diagnostics::Catalogue(),
                                              args->json);
    return 0;
  }
  AgentState state(args->state_dir.empty() ? DefaultStateDir()
                                           : args->state_dir);
  RealCommandRunner runner;
  RealSystemSource system;
  diagnostics::RealNetworkProbe network;
  diagnostics::RealFilesystemStats filesystems;
  diagnostics::DiagnosticEnvironment env;
  env.runner = &runner;
  env.system = &system;
  env.clock = Clock::Real();
  env.state = &state;
  env.network = &network;
  env.filesystems = &filesystems;
  env.collectors = PlatformCollectors;
  diagnostics::DiagnosticRunner diagnostic(env);
  running_diagnostic = &diagnostic;
  std::signal(SIGINT, CancelDiagnostic);
  std::signal(SIGTERM, CancelDiagnostic);
  int code = diagnostics::RunDiagnose(*args, diagnostic, std::cout, std::cerr);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  running_diagnostic = nullptr;
  return code;
}

int Consent(const std::vector<std::string>& words) {
  auto args = diagnostics::ParseConsentArgs(words);
  if (!args.ok()) return UsageError(args.status());
  AgentState state(args->state_dir.empty() ? DefaultStateDir()
                                           : args->state_dir);
  return diagnostics::RunConsent(*args, state, *Clock::Real(), std::cout,
                                 std::cerr);
}

int Main(int argc, char** argv) {
  CommandLine line =
      ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  switch (line.action) {
    case CommandLine::Action::kHelp:
      std::cout << AgentUsage();
      return 0;
    case CommandLine::Action::kVersion:
      std::cout << AgentVersionLine();
      return 0;
    case CommandLine::Action::kError:
      std::cerr << "trellis-agent: " << line.error
                << "\nrun 'trellis-agent --help' for usage\n";
      return 2;
    case CommandLine::Action::kCommand:
      break;
  }
  const ParsedArgs& args = line.args;
  if (line.command == "diagnose") return Diagnose(args.positional);
  if (line.command == "consent") return Consent(args.positional);
  if (args.Has("log-level")) {
    absl::Status level = SetLogLevelFlag(args.Get("log-level"));
    if (!level.ok()) return Fail(level);
  }
  if (line.command == "enroll") return Enroll(args);
  if (line.command == "run") return Run(line);
  if (line.command == "check") return Check(args);
  if (line.command == "show-data") return ShowData(args);
  if (line.command == "status") return Status(args);
  std::cerr << "trellis-agent: unhandled command '" << line.command << "'\n";
  return 2;
}

}  // namespace
}  // namespace trellis::agent

int main(int argc, char** argv) { return trellis::agent::Main(argc, argv); }
