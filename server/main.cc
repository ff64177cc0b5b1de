// trellis-server: the control server.
//
//   trellis-server [serve] --state-dir DIR [--listen HOST:PORT] ...
//   trellis-server operator create --state-dir DIR --name NAME
//                  --role admin|helpdesk|auditor|gateway [--out FILE]
#include <csignal>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/util/args.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "server/operators/operator_provisioning.h"
#include "server/store/sqlite_store.h"
#include "server/trellis_server.h"

namespace trellis::server {
namespace {

constexpr char kUsage[] =
    "usage:\n"
    "  trellis-server [serve] --state-dir DIR [--listen HOST:PORT]\n"
    "      [--advertise HOST:PORT] [--tls-dns a,b] [--tls-ip 1.2.3.4,...]\n"
    "      [--device-cert-lifetime 24h] [--checkin-interval 5m]\n"
    "      [--enroll-failure-limit 10] [--validity-window 15m]\n"
    "      [--restart-grace DURATION (default: check-in interval + 5m)]\n"
    "      [--log-level info]\n"
    "  trellis-server operator create --state-dir DIR --name NAME\n"
    "      --role admin|helpdesk|auditor|gateway [--out FILE] [--server "
    "HOST:PORT]\n"
    "      [--lifetime 90d]\n";

int Fail(const absl::Status& status) {
  std::cerr << "trellis-server: " << status.message() << "\n";
  return 1;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return out;
}

int OperatorCreate(const std::vector<std::string>& argv) {
  auto args = ParseArgs(
      argv, {{"state-dir", "name", "role", "out", "server", "lifetime"}, {}});
  if (!args.ok()) return Fail(args.status());
  std::string state_dir = args->Get("state-dir");
  if (state_dir.empty() || !args->Has("name") || !args->Has("role")) {
    std::cerr << kUsage;
    return 2;
  }
  OperatorRequest request;
  request.name = args->Get("name");
  request.role = args->Get("role");
  request.server_address = args->Get("server");
  if (request.server_address.empty()) {
    auto address = ReadFile(absl::StrCat(state_dir, "/server.address"));
    if (!address.ok()) {
      return Fail(absl::FailedPreconditionError(
          "no --server given and the server has not recorded its address "
          "yet; start trellis-server first or pass --server HOST:PORT"));
    }
    request.server_address = std::string(absl::StripAsciiWhitespace(*address));
  }
  if (args->Has("lifetime")) {
    auto lifetime = ParseHumanDuration(args->Get("lifetime"));
    if (!lifetime.ok()) return Fail(lifetime.status());
    request.lifetime = *lifetime;
  }
  auto store = SqliteStore::Open({DatabasePath(state_dir)});
  if (!store.ok()) return Fail(store.status());
  auto creds = CreateOperator(state_dir, **store, request, *Clock::Real());
  if (!creds.ok()) return Fail(creds.status());
  std::string out = args->Get("out");
  if (out.empty()) {
    std::cout << *creds;
    return 0;
  }
  absl::Status written = WriteFileAtomic(out, *creds, 0600);
  if (!written.ok()) return Fail(written);
  std::cerr << "wrote credentials for operator " << request.name << " ("
            << request.role << ") to " << out << "\n";
  return 0;
}

int Serve(const std::vector<std::string>& argv) {
  auto args = ParseArgs(
      argv,
      {{"state-dir", "listen", "advertise", "tls-dns", "tls-ip",
        "device-cert-lifetime", "checkin-interval", "enroll-failure-limit",
        "validity-window", "restart-grace", "vpn-pool", "log-level"},
       {}});
  if (!args.ok()) return Fail(args.status());
  if (!args->positional.empty()) {
    std::cerr << "unexpected argument '" << args->positional[0] << "'\n"
              << kUsage;
    return 2;
  }
  ServerConfig config;
  config.state_dir = args->Get("state-dir");
  if (config.state_dir.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  config.listen_address = args->Get("listen", config.listen_address);
  config.advertised_address = args->Get("advertise");
  if (args->Has("tls-dns"))
    config.tls_dns_names = SplitList(args->Get("tls-dns"));
  if (args->Has("tls-ip")) {
    config.tls_ip_addresses = SplitList(args->Get("tls-ip"));
  }
  if (args->Has("device-cert-lifetime")) {
    auto d = ParseHumanDuration(args->Get("device-cert-lifetime"));
    if (!d.ok()) return Fail(d.status());
    if (*d < absl::Minutes(10)) {
      return Fail(absl::InvalidArgumentError(
          "--device-cert-lifetime must be at least 10m"));
    }
    config.device_certificate_lifetime = *d;
  }
  if (args->Has("checkin-interval")) {
    auto d = ParseHumanDuration(args->Get("checkin-interval"));
    if (!d.ok()) return Fail(d.status());
    if (*d < absl::Seconds(1) || *d > absl::Hours(24)) {
      return Fail(absl::InvalidArgumentError(
          "--checkin-interval must be between 1s and 24h"));
    }
    config.checkin_interval_seconds =
        static_cast<int>(absl::ToInt64Seconds(*d));
  }
  if (args->Has("validity-window")) {
    auto d = ParseHumanDuration(args->Get("validity-window"));
    if (!d.ok()) return Fail(d.status());
    if (*d < absl::Seconds(2) || *d > absl::Hours(24 * 30)) {
      return Fail(absl::InvalidArgumentError(
          "--validity-window must be between 2s and 30d"));
    }
    config.validity_window = *d;
  }
  if (args->Has("restart-grace")) {
    auto d = ParseHumanDuration(args->Get("restart-grace"));
    if (!d.ok()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--restart-grace: ", d.status().message())));
    }
    if (*d > absl::Hours(24)) {
      return Fail(absl::InvalidArgumentError(
          "--restart-grace must be between 0s and 24h"));
    }
    config.restart_grace = *d;
  }
  config.vpn_pool = args->Get("vpn-pool", config.vpn_pool);
  auto limit =
      args->GetInt("enroll-failure-limit", config.enroll_failure_limit);
  if (!limit.ok()) return Fail(limit.status());
  config.enroll_failure_limit = static_cast<int>(*limit);
  if (args->Has("log-level")) {
    absl::Status level = SetLogLevelFlag(args->Get("log-level"));
    if (!level.ok()) return Fail(level);
  }

  // Signals are taken synchronously on a helper thread, so shutdown runs as
  // ordinary code rather than inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = TrellisServer::Start(config);
  if (!server.ok()) return Fail(server.status());
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    LogInfo("server: signal ", sig, ", shutting down");
    (*server)->Shutdown();
  });
  (*server)->Wait();
  waiter.join();
  server->reset();
  LogInfo("server: stopped");
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "help")) {
    std::cout << kUsage;
    return 0;
  }
  if (args.size() >= 2 && args[0] == "operator" && args[1] == "create") {
    return OperatorCreate({args.begin() + 2, args.end()});
  }
  if (!args.empty() && args[0] == "operator") {
    std::cerr << "unknown operator command; " << kUsage;
    return 2;
  }
  if (!args.empty() && args[0] == "serve") args.erase(args.begin());
  return Serve(args);
}

}  // namespace
}  // namespace trellis::server

int main(int argc, char** argv) { return trellis::server::Main(argc, argv); }
