// trellis-agent: runs on the device.
//
//   trellis-agent enroll --token TOKEN [--state-dir DIR] [--server ADDR]
//   trellis-agent run [--once] [--state-dir DIR] [--interval 5m]
//                     [--no-vpn] [--vpn-interface trellis0]
//   trellis-agent status [--json] [--state-dir DIR] [--vpn-interface NAME]
//   trellis-agent check [--json] [--state-dir DIR]
//   trellis-agent show-data [--json] [--state-dir DIR]
#include <csignal>
#include <iostream>
#include <random>

#include "absl/synchronization/notification.h"
#include "agent/checkin/checkin_client.h"
#include "agent/checkin/run_loop.h"
#include "agent/cli/checklist.h"
#include "agent/cli/show_data.h"
#include "agent/cli/status_report.h"
#include "agent/enroll/device_enrollment.h"
#include "agent/policy/bundle_sync.h"
#include "agent/vpn/linux/linux_tunnel_controller.h"
#include "agent/vpn/platform_tunnel.h"
#include "agent/vpn/tls_beacon_prober.h"
#include "agent/vpn/vpn_enforcer.h"
#include "agent/vpn/wireguard_identity.h"
#include "common/policy/evaluator.h"
#include "common/util/args.h"
#include "common/util/logging.h"

namespace trellis::agent {
namespace {

constexpr char kUsage[] =
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
    "  trellis-agent check [--json] [--state-dir DIR]\n"
    "      evaluate this device against the held policy bundle; exit 0 only\n"
    "      when it meets policy\n"
    "  trellis-agent show-data [--json] [--state-dir DIR]\n"
    "      exactly what this device sends, grouped by privacy class\n";

absl::Notification* stop_requested = nullptr;

extern "C" void OnSignal(int) {
  // Notify() is not formally async-signal-safe; the flag below is what the
  // loop polls, Notify only wakes it sooner.
  if (stop_requested != nullptr && !stop_requested->HasBeenNotified()) {
    stop_requested->Notify();
  }
}

int Fail(const absl::Status& status) {
  std::cerr << "trellis-agent: " << status.message() << "\n";
  return 1;
}

// For `check`, whose exit code 1 means "not compliant".
int Fail2(const absl::Status& status) {
  Fail(status);
  return 2;
}

int Enroll(const ParsedArgs& args) {
  if (!args.Has("token")) {
    std::cerr << kUsage;
    return 2;
  }
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  EnrollOptions options;
  options.token = args.Get("token");
  options.server_override = args.Get("server");
  auto probe = DeviceProbe::Real();
  auto response = EnrollDevice(state, options, *probe);
  if (!response.ok()) return Fail(response.status());
  std::cout << "Enrolled as device " << response->device_id() << " (group "
            << response->group() << ")\n";
  if (response->flagged_possible_clone()) {
    std::cout << "Note: another device with this hardware serial is already "
                 "enrolled; IT will review it.\n";
  }
  std::cout << "State: " << state.dir() << "\n";
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

int Run(const ParsedArgs& args) {
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  RunOptions options;
  options.once = args.Has("once");
  if (args.Has("interval")) {
    auto d = ParseHumanDuration(args.Get("interval"));
    if (!d.ok()) return Fail(d.status());
    if (*d < absl::Seconds(1)) {
      return Fail(absl::InvalidArgumentError("--interval must be at least 1s"));
    }
    options.timing.interval = *d;
    options.follow_server_interval = false;
  }
  if (args.Has("max-backoff")) {
    auto d = ParseHumanDuration(args.Get("max-backoff"));
    if (!d.ok()) return Fail(d.status());
    if (*d < absl::Seconds(1)) {
      return Fail(
          absl::InvalidArgumentError("--max-backoff must be at least 1s"));
    }
    options.timing.max_backoff = *d;
    options.timing.initial_backoff =
        std::min(options.timing.initial_backoff, *d);
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
    if (absl::Status valid = linux_vpn::ValidateInterfaceName(name);
        !valid.ok()) {
      return Fail(valid);
    }
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

int ShowData(const ParsedArgs& args) {
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  auto record = state.LoadRecord();
  if (!record.ok()) return Fail(record.status());
  auto probe = DeviceProbe::Real();
  auto report = CollectForCheckIn(state, *probe);
  if (!report.ok()) return Fail(report.status());
  std::cout << (args.Has("json") ? ShowDataJson(*report)
                                 : RenderShowData(*report, record->ownership));
  return 0;
}

int Check(const ParsedArgs& args) {
  AgentState state(args.Get("state-dir", DefaultStateDir()));
  auto record = state.LoadRecord();
  if (!record.ok()) return Fail2(record.status());
  auto bundle = LoadHeldBundle(state);
  if (!bundle.ok()) return Fail2(bundle.status());
  if (!*bundle) {
    std::cerr << "trellis-agent: no policy bundle yet; run "
                 "'trellis-agent run --once' to fetch one\n";
    return 2;
  }
  auto evaluator = policy::Evaluator::Compile(**bundle);
  if (!evaluator.ok()) return Fail2(evaluator.status());
  auto probe = DeviceProbe::Real();
  auto report = CollectForCheckIn(state, *probe);
  if (!report.ok()) return Fail2(report.status());
  v1::Verdict verdict =
      (*evaluator)
          ->Evaluate({probe->platform(), OwnershipFromText(record->ownership),
                      record->group},
                     *report);
  std::cout << (args.Has("json") ? ChecklistJson(verdict)
                                 : RenderChecklist(verdict));
  return verdict.compliant() ? 0 : 1;
}

int Main(int argc, char** argv) {
  std::vector<std::string> argv_list(argv + 1, argv + argc);
  if (argv_list.empty() || argv_list[0] == "--help" || argv_list[0] == "help") {
    std::cout << kUsage;
    return argv_list.empty() ? 2 : 0;
  }
  std::string command = argv_list[0];
  auto args = ParseArgs({argv_list.begin() + 1, argv_list.end()},
                        {{"token", "state-dir", "server", "interval",
                          "max-backoff", "log-level", "vpn-interface"},
                         {"once", "json", "no-vpn"}});
  if (!args.ok()) return Fail(args.status());
  if (args->Has("log-level")) {
    absl::Status level = SetLogLevelFlag(args->Get("log-level"));
    if (!level.ok()) return Fail(level);
  }
  if (command == "enroll") return Enroll(*args);
  if (command == "run") return Run(*args);
  if (command == "check") return Check(*args);
  if (command == "show-data") return ShowData(*args);
  if (command == "status") {
    AgentState state(args->Get("state-dir", DefaultStateDir()));
    RealCommandRunner runner;
    PlatformTunnelConfig config;
    config.state = &state;
    config.runner = &runner;
    config.interface_name = VpnInterface(*args);
    auto tunnel = MakePlatformTunnelController(config);
    std::cout << StatusReport(state, absl::Now(), args->Has("json"),
                              tunnel.get());
    return state.IsEnrolled() ? 0 : 3;
  }
  std::cerr << "unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace
}  // namespace trellis::agent

int main(int argc, char** argv) { return trellis::agent::Main(argc, argv); }
