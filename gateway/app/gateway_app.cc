#include "gateway/app/gateway_app.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/identity/operator_credentials.h"
#include "common/util/args.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "gateway/access/quarantine_firewall.h"
#include "gateway/rpc/gateway_channel.h"
#include "gateway/sync/peer_watcher.h"
#include "gateway/wireguard/interface_name.h"
#include "gateway/wireguard/wg_command_interface.h"

namespace trellis::gateway {

const std::vector<FlagDoc>& GatewayFlagDocs() {
  static const auto* docs = new std::vector<FlagDoc>{
      {"credentials", "FILE",
       "required: gateway credentials (how to make them: below)"},
      {"interface", "IFACE",
       "required: an existing WireGuard interface (see below); 1-15 "
       "letters, digits, '_' or '-'"},
      {"server", "HOST:PORT",
       "server to follow; port 1-65535, IPv6 in brackets (default: the one "
       "in FILE)"},
      {"log-level", "LEVEL", "debug, info (default), warning or error"},
      {"nft-dir", "DIR",
       "where the quarantine ruleset file is written (default "
       "/run/trellis-gateway)"},
      {"version", "", "print the version"},
      {"help", "", "print this text"},
  };
  return *docs;
}

std::string GatewayUsage() {
  return absl::StrCat(
      R"(trellis-gateway: keeps a WireGuard interface's peers equal to the
devices the Trellis server allows on the VPN.

usage:
  trellis-gateway --credentials FILE --interface IFACE [flags]
)",
      FormatFlagDocs(GatewayFlagDocs()), R"(
The credentials are made on the server host:

  trellis-server operator create --state-dir DIR --name gw-1 --role gateway \
      --out gw-1.creds

The interface must exist before the gateway starts, with the gateway's own
private key and listen port; the gateway manages only its peers. With the
kernel module:

  wg genkey > /etc/wireguard/gateway.key    # once; chmod 600
  ip link add dev wg0 type wireguard        # or: wireguard-go wg0
  wg set wg0 private-key /etc/wireguard/gateway.key listen-port 51820
  ip address add 10.200.0.1/16 dev wg0
  ip link set wg0 up

At start the gateway removes every peer the server does not allow,
including peers added by hand. Quarantined devices stay peers, restricted
to their remediation destinations by the nftables table
`inet trellis_IFACE` (needs nft). Runs as root (or with CAP_NET_ADMIN).
Stops on SIGTERM or SIGINT and leaves the peers in place, so the VPN keeps
working while the gateway restarts.
)");
}

absl::StatusOr<GatewayFlags> ParseGatewayFlags(
    const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(args, ArgSpecOf(GatewayFlagDocs()));
  if (!parsed.ok()) return parsed.status();
  GatewayFlags flags;
  flags.help = parsed->Has("help");
  flags.version = parsed->Has("version");
  if (flags.help || flags.version) return flags;
  if (!parsed->positional.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", parsed->positional[0], "'"));
  }
  flags.credentials_path = parsed->Get("credentials");
  flags.interface_name = parsed->Get("interface");
  flags.server_address = parsed->Get("server");
  flags.log_level = parsed->Get("log-level", flags.log_level);
  flags.nft_dir = parsed->Get("nft-dir", flags.nft_dir);
  if (flags.credentials_path.empty()) {
    return absl::InvalidArgumentError("--credentials FILE is required");
  }
  if (flags.interface_name.empty()) {
    return absl::InvalidArgumentError("--interface IFACE is required");
  }
  absl::Status name = ValidateInterfaceName(flags.interface_name);
  if (!name.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--interface: ", name.message()));
  }
  if (!flags.server_address.empty()) {
    absl::Status server = CheckEndpointFlag("server", flags.server_address);
    if (!server.ok()) return server;
  }
  if (flags.nft_dir.empty()) {
    return absl::InvalidArgumentError("--nft-dir needs a directory");
  }
  return flags;
}

namespace {

absl::StatusOr<identity::OperatorCredentials> LoadCredentials(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<identity::OperatorCredentials> creds =
      identity::ParseOperatorCredentials(*text);
  if (!creds.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", creds.status().message()));
  }
  return creds;
}

// Runs `watcher` until SIGTERM or SIGINT. The signals are taken on a helper
// thread with sigwait, so stopping is ordinary code, not a signal handler.
void RunUntilSignal(PeerWatcher* watcher, const sigset_t& signals) {
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    LogInfo("gateway: signal ", sig, ", stopping");
    watcher->Stop();
  });
  watcher->Run();
  waiter.join();
}

}  // namespace

int RunGateway(const std::vector<std::string>& args, CommandRunner* runner,
               std::ostream& out, std::ostream& err) {
  absl::StatusOr<GatewayFlags> flags = ParseGatewayFlags(args);
  if (!flags.ok()) {
    err << "trellis-gateway: " << flags.status().message()
        << "\nrun `trellis-gateway --help` for usage\n";
    return 2;
  }
  if (flags->help) {
    out << GatewayUsage();
    return 0;
  }
  if (flags->version) {
    out << "trellis-gateway " << TRELLIS_VERSION << "\n";
    return 0;
  }
  absl::Status level = SetLogLevelFlag(flags->log_level);
  if (!level.ok()) {
    err << "trellis-gateway: " << level.message() << "\n";
    return 2;
  }
  absl::StatusOr<identity::OperatorCredentials> creds =
      LoadCredentials(flags->credentials_path);
  if (!creds.ok()) {
    err << "trellis-gateway: " << creds.status().message() << "\n";
    return 1;
  }
  if (creds->role != "gateway" && creds->role != "admin") {
    LogWarning("gateway: credentials are for role '", creds->role,
               "'; the server accepts only gateway (or admin) credentials");
  }

  WgCommandInterface interface(flags->interface_name, runner);
  absl::StatusOr<wireguard::WgDump> dump = interface.Show();
  if (!dump.ok()) {
    err << "trellis-gateway: WireGuard interface " << flags->interface_name
        << " is not usable: " << dump.status().message()
        << "\ncreate it first (see `trellis-gateway --help`)\n";
    return 1;
  }
  std::string address = flags->server_address.empty() ? creds->server_address
                                                      : flags->server_address;
  LogInfo("gateway: interface ", flags->interface_name, " (public key ",
          dump->interface.public_key.empty() ? "(none)"
                                             : dump->interface.public_key,
          ", listen port ", dump->interface.listen_port, ", ",
          dump->peers.size(), " peers now), following ", address, " as ",
          creds->operator_name);

  // Blocked before any gRPC thread exists, so every thread inherits the
  // mask and only the waiter sees the signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  QuarantineFirewall firewall(flags->interface_name, runner, flags->nft_dir);
  PeerWatcher watcher(MakeGatewayChannel(address, *creds), &interface,
                      &firewall);
  RunUntilSignal(&watcher, signals);
  LogInfo("gateway: stopped");
  return 0;
}

}  // namespace trellis::gateway
