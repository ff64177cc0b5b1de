// trellis-server: the control server.
//
//   trellis-server [serve] --state-dir DIR [--listen HOST:PORT] ...
//   trellis-server operator create --state-dir DIR --name NAME
//                  --role admin|helpdesk|auditor|gateway [--out FILE]
#include <csignal>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/net/ip_address.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "server/operators/operator_provisioning.h"
#include "server/server_flags.h"
#include "server/store/sqlite_store.h"
#include "server/trellis_server.h"

namespace trellis::server {
namespace {

// Exit codes: 0 success, 1 the work failed (could not start, state
// unreadable), 2 the command line is wrong (unknown flag, bad or
// out-of-range value).
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const absl::Status& status) {
  std::cerr << "trellis-server: " << status.message() << "\n";
  return kExitFailure;
}

int UsageError(const absl::Status& status) {
  std::cerr << "trellis-server: " << status.message()
            << "\n(trellis-server --help shows the usage)\n";
  return kExitUsage;
}

// The address `serve` recorded, checked so a damaged file is named rather
// than passed on into the credentials.
absl::StatusOr<std::string> RecordedServerAddress(
    const std::string& state_dir) {
  std::string path = absl::StrCat(state_dir, "/server.address");
  auto text = ReadFile(path);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        "no --server given and the server has not recorded its address "
        "yet; start trellis-server first or pass --server HOST:PORT");
  }
  std::string address(absl::StripAsciiWhitespace(*text));
  absl::Status valid = net::ValidateEndpoint(address);
  if (!valid.ok()) {
    return absl::DataLossError(absl::StrCat(
        path, " is damaged: ", valid.message(),
        "; restart trellis-server to rewrite it or pass --server HOST:PORT"));
  }
  return address;
}

int OperatorCreate(const std::vector<std::string>& argv) {
  auto flags = ParseOperatorCreateFlags(argv);
  if (!flags.ok()) return UsageError(flags.status());
  OperatorRequest& request = flags->request;
  if (request.server_address.empty()) {
    auto address = RecordedServerAddress(flags->state_dir);
    if (!address.ok()) return Fail(address.status());
    request.server_address = *std::move(address);
  }
  auto store = SqliteStore::Open({DatabasePath(flags->state_dir)});
  if (!store.ok()) return Fail(store.status());
  auto creds =
      CreateOperator(flags->state_dir, **store, request, *Clock::Real());
  if (!creds.ok()) return Fail(creds.status());
  if (flags->out.empty()) {
    std::cout << *creds;
    return 0;
  }
  absl::Status written = WriteFileAtomic(flags->out, *creds, 0600);
  if (!written.ok()) return Fail(written);
  std::cerr << "wrote credentials for operator " << request.name << " ("
            << request.role << ") to " << flags->out << "\n";
  return 0;
}

int Serve(const std::vector<std::string>& argv) {
  auto flags = ParseServeFlags(argv);
  if (!flags.ok()) return UsageError(flags.status());
  if (!flags->log_level.empty()) {
    absl::Status level = SetLogLevelFlag(flags->log_level);
    if (!level.ok()) return UsageError(level);
  }
  const ServerConfig& config = flags->config;

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
    std::cout << ServerUsage();
    return 0;
  }
  if (!args.empty() && args[0] == "--version") {
    std::cout << "trellis-server " << TRELLIS_VERSION << "\n";
    return 0;
  }
  if (args.size() >= 2 && args[0] == "operator" && args[1] == "create") {
    return OperatorCreate({args.begin() + 2, args.end()});
  }
  if (!args.empty() && args[0] == "operator") {
    return UsageError(absl::InvalidArgumentError(
        "unknown operator command; the one there is: operator create"));
  }
  if (!args.empty() && args[0] == "serve") args.erase(args.begin());
  return Serve(args);
}

}  // namespace
}  // namespace trellis::server

int main(int argc, char** argv) { return trellis::server::Main(argc, argv); }
