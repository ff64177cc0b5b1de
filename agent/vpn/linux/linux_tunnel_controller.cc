#include "agent/vpn/linux/linux_tunnel_controller.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "agent/vpn/linux/ip_output.h"
#include "common/net/ip_address.h"

namespace trellis::agent::linux_vpn {
namespace {

constexpr char kSuppressRule[] = "from all lookup main suppress_prefixlength 0";

std::string PackageOf(const std::string& program) {
  if (program == "ip") return "iproute2";
  if (program == "wg") return "wireguard-tools";
  if (program == "resolvectl") return "systemd-resolved";
  if (program == "sysctl") return "procps";
  return program;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool SameSet(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// The endpoint wg reports is an address; the profile may name a host. A
// named host counts as right when some endpoint with its port is set
// (re-setting it would re-resolve the name and reset roaming).
bool EndpointMatches(const std::string& wanted, const std::string& current) {
  if (wanted == current) return true;
  auto want = net::ParseEndpoint(wanted);
  auto have = net::ParseEndpoint(current);
  if (!want.ok() || !have.ok() || want->port != have->port) return false;
  if (!want->host_is_ip) return true;
  auto canonical = [](const std::string& ip) {
    auto host = net::ParseHostOrNetwork(ip);
    return host.ok() ? host->AddressText() : ip;
  };
  return canonical(want->host) == canonical(have->host);
}

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

}  // namespace

absl::Status ValidateInterfaceName(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= 15 && name[0] != '-' &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return absl::ascii_isalnum(c) || c == '_' || c == '-';
            });
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "interface name '", name,
      "' must be 1 to 15 letters, digits, '_' or '-' (not starting with '-')"));
}

std::string LinuxTunnelController::Describe() const {
  return absl::StrCat("interface ", options_.interface_name);
}

std::string LinuxTunnelController::FwmarkRule() const {
  return absl::StrCat("not from all fwmark 0x",
                      absl::Hex(options_.routing_table), " lookup ",
                      options_.routing_table);
}

absl::StatusOr<CommandResult> LinuxTunnelController::Run(
    const std::vector<std::string>& argv) {
  auto result = runner_->Run(argv, options_.command_timeout);
  if (absl::IsNotFound(result.status())) {
    return absl::NotFoundError(
        absl::StrCat(argv[0], " is not installed (package ", PackageOf(argv[0]),
                     "); the agent needs it to manage the VPN interface ",
                     options_.interface_name));
  }
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat("`", absl::StrJoin(argv, " "),
                                     "`: ", result.status().message()));
  }
  return result;
}

absl::Status LinuxTunnelController::Change(const std::vector<std::string>& argv,
                                           ApplyResult* result) {
  auto run = Run(argv);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(absl::StrCat("`", absl::StrJoin(argv, " "),
                                            "` failed (exit ", run->exit_code,
                                            "): ", Trimmed(run->stderr_text)));
  }
  result->changed = true;
  return absl::OkStatus();
}

absl::StatusOr<LinuxTunnelController::Link> LinuxTunnelController::ReadLink() {
  auto run = Run({"ip", "link", "show", options_.interface_name});
  if (!run.ok()) return run.status();
  Link link;
  // ip exits non-zero with 'Device "x" does not exist.' for a missing link.
  link.present = run->exit_code == 0;
  link.up = link.present && LinkIsUp(run->stdout_text);
  return link;
}

absl::StatusOr<wireguard::WgDump> LinuxTunnelController::ReadDump() {
  auto run = Run({"wg", "show", options_.interface_name, "dump"});
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "`wg show ", options_.interface_name, " dump` failed (exit ",
        run->exit_code, "): ", Trimmed(run->stderr_text)));
  }
  return wireguard::ParseWgDump(run->stdout_text);
}

absl::Status LinuxTunnelController::ConfigurePeer(const TunnelPlan& plan,
                                                  const wireguard::WgDump& dump,
                                                  ApplyResult* result) {
  const std::string& name = options_.interface_name;
  const bool key_ok = !options_.public_key.empty() &&
                      dump.interface.public_key == options_.public_key;
  const uint32_t want_mark = plan.FullTunnelIpv4() ? options_.routing_table : 0;
  const bool mark_ok = dump.interface.fwmark == want_mark;
  const wireguard::WgPeerState* peer = nullptr;
  for (const wireguard::WgPeerState& p : dump.peers) {
    if (p.public_key == plan.peer_public_key) peer = &p;
  }
  const bool peer_ok =
      peer != nullptr && EndpointMatches(plan.endpoint, peer->endpoint) &&
      SameSet(peer->allowed_ips, plan.allowed_ips) &&
      peer->persistent_keepalive_seconds == plan.keepalive_seconds;
  if (!key_ok || !mark_ok || !peer_ok) {
    std::vector<std::string> argv = {"wg", "set", name};
    if (!key_ok) {
      argv.insert(argv.end(), {"private-key", options_.private_key_path});
    }
    if (!mark_ok) {
      argv.insert(argv.end(),
                  {"fwmark", want_mark == 0 ? std::string("off")
                                            : absl::StrCat(want_mark)});
    }
    argv.insert(
        argv.end(),
        {"peer", plan.peer_public_key, "endpoint", plan.endpoint, "allowed-ips",
         absl::StrJoin(plan.allowed_ips, ","), "persistent-keepalive",
         plan.keepalive_seconds == 0 ? std::string("off")
                                     : absl::StrCat(plan.keepalive_seconds)});
    if (absl::Status s = Change(argv, result); !s.ok()) return s;
  }
  // Only the gateway of the current profile may be a peer.
  for (const wireguard::WgPeerState& p : dump.peers) {
    if (p.public_key == plan.peer_public_key) continue;
    if (absl::Status s =
            Change({"wg", "set", name, "peer", p.public_key, "remove"}, result);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status LinuxTunnelController::SyncAddress(const TunnelPlan& plan,
                                                bool fresh,
                                                ApplyResult* result) {
  const std::string& name = options_.interface_name;
  auto address = net::ParseCidr(plan.address);
  if (!address.ok()) return address.status();
  const std::string want = address->ToString();
  std::vector<std::string> have;
  if (!fresh) {
    auto run = Run({"ip", "-o", "addr", "show", "dev", name});
    if (!run.ok()) return run.status();
    have = ParseInterfaceAddresses(run->stdout_text);
  }
  if (!Contains(have, want)) {
    if (absl::Status s =
            Change({"ip", "address", "replace", want, "dev", name}, result);
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& old : have) {
    if (old == want) continue;
    if (absl::Status s =
            Change({"ip", "address", "del", old, "dev", name}, result);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status LinuxTunnelController::SyncRoutes(const TunnelPlan& plan,
                                               bool fresh,
                                               ApplyResult* result) {
  const std::string& name = options_.interface_name;
  std::vector<std::string> want;
  bool ipv6 = false;
  for (const std::string& network : plan.allowed_ips) {
    if (network.find(':') != std::string::npos) {
      ipv6 = true;
    } else if (network != "0.0.0.0/0") {
      want.push_back(network);
    }
  }
  if (ipv6) {
    result->notes.push_back(
        "IPv6 networks are given to the gateway peer but no IPv6 routes are "
        "installed (this agent routes IPv4 only)");
  }
  std::vector<std::string> have;
  if (!fresh) {
    auto run = Run({"ip", "-o", "-4", "route", "show", "dev", name});
    if (!run.ok()) return run.status();
    have = ParseRouteDestinations(run->stdout_text);
  }
  for (const std::string& network : want) {
    if (Contains(have, network)) continue;
    if (absl::Status s = Change(
            {"ip", "-4", "route", "replace", network, "dev", name}, result);
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& network : have) {
    if (Contains(want, network)) continue;
    if (absl::Status s =
            Change({"ip", "-4", "route", "del", network, "dev", name}, result);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status LinuxTunnelController::SyncFullTunnelRules(bool want, bool fresh,
                                                        ApplyResult* result) {
  const std::string& name = options_.interface_name;
  const std::string table = absl::StrCat(options_.routing_table);
  if (want) {
    std::vector<std::string> have;
    if (!fresh) {
      auto run =
          Run({"ip", "-o", "-4", "route", "show", "table", table, "dev", name});
      if (!run.ok()) return run.status();
      have = ParseRouteDestinations(run->stdout_text);
    }
    if (!Contains(have, "0.0.0.0/0")) {
      if (absl::Status s = Change({"ip", "-4", "route", "replace", "0.0.0.0/0",
                                   "dev", name, "table", table},
                                  result);
          !s.ok()) {
        return s;
      }
    }
  }
  auto run = Run({"ip", "-4", "rule", "show"});
  if (!run.ok()) return run.status();
  std::vector<std::string> rules = ParseRules(run->stdout_text);
  const bool has_mark = Contains(rules, FwmarkRule());
  const bool has_suppress = Contains(rules, kSuppressRule);
  std::vector<std::vector<std::string>> steps;
  if (want) {
    if (!has_mark || !has_suppress) {
      // Lets reverse-path filtering see the mark, as wg-quick does; without
      // it strict rp_filter drops the tunnel's replies on some systems.
      auto sysctl =
          Run({"sysctl", "-q", "-w", "net.ipv4.conf.all.src_valid_mark=1"});
      if (!sysctl.ok() || sysctl->exit_code != 0) {
        result->notes.push_back(
            "could not set net.ipv4.conf.all.src_valid_mark=1; with strict "
            "reverse-path filtering the full tunnel may drop replies");
      }
    }
    if (!has_mark) {
      steps.push_back(
          {"ip", "-4", "rule", "add", "not", "fwmark", table, "table", table});
    }
    if (!has_suppress) {
      steps.push_back({"ip", "-4", "rule", "add", "table", "main",
                       "suppress_prefixlength", "0"});
    }
  } else if (has_mark) {
    // The suppress rule is only ours when our fwmark rule is there too.
    steps.push_back(
        {"ip", "-4", "rule", "del", "not", "fwmark", table, "table", table});
    if (has_suppress) {
      steps.push_back({"ip", "-4", "rule", "del", "table", "main",
                       "suppress_prefixlength", "0"});
    }
    steps.push_back({"ip", "-4", "route", "flush", "table", table});
  }
  for (const auto& argv : steps) {
    if (absl::Status s = Change(argv, result); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void LinuxTunnelController::SyncDns(const TunnelPlan& plan, bool fresh,
                                    ApplyResult* result) {
  if (plan.dns_servers.empty() && plan.dns_search_domains.empty()) return;
  const std::string& name = options_.interface_name;
  std::vector<std::string> domains = plan.dns_search_domains;
  // A full tunnel sends every DNS query through it, not just these domains.
  if (plan.FullTunnelIpv4()) domains.push_back("~.");
  struct Setting {
    const char* verb;
    const std::vector<std::string>& want;
  };
  for (const Setting& setting :
       {Setting{"dns", plan.dns_servers}, Setting{"domain", domains}}) {
    if (setting.want.empty()) continue;
    if (!fresh) {
      auto current = Run({"resolvectl", setting.verb, name});
      if (absl::IsNotFound(current.status())) {
        result->notes.push_back(
            "DNS not applied: resolvectl is not installed (systemd-resolved)");
        return;
      }
      if (current.ok() && current->exit_code == 0 &&
          ParseResolvectlValues(current->stdout_text) == setting.want) {
        continue;
      }
    }
    std::vector<std::string> argv = {"resolvectl", setting.verb, name};
    argv.insert(argv.end(), setting.want.begin(), setting.want.end());
    auto run = Run(argv);
    if (absl::IsNotFound(run.status())) {
      result->notes.push_back(
          "DNS not applied: resolvectl is not installed (systemd-resolved)");
      return;
    }
    if (!run.ok() || run->exit_code != 0) {
      result->notes.push_back(absl::StrCat(
          "DNS not applied: `", absl::StrJoin(argv, " "), "` failed: ",
          run.ok() ? Trimmed(run->stderr_text)
                   : std::string(run.status().message())));
      return;
    }
    result->changed = true;
  }
}

absl::StatusOr<ApplyResult> LinuxTunnelController::Down() {
  ApplyResult result;
  auto link = ReadLink();
  if (!link.ok()) return link.status();
  // Deleting the link is also what stops wireguard-go.
  if (link->present) {
    if (absl::Status s =
            Change({"ip", "link", "del", options_.interface_name}, &result);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = SyncFullTunnelRules(false, false, &result); !s.ok()) {
    return s;
  }
  return result;
}

absl::StatusOr<ApplyResult> LinuxTunnelController::Apply(
    const TunnelPlan& plan) {
  if (absl::Status name = ValidateInterfaceName(options_.interface_name);
      !name.ok()) {
    return name;
  }
  if (!plan.up) return Down();
  ApplyResult result;
  auto link = ReadLink();
  if (!link.ok()) return link.status();
  // A new interface has no address, routes or DNS yet: no need to read them.
  const bool fresh = !link->present;
  if (fresh) {
    // wireguard-go daemonises itself once the interface exists.
    if (absl::Status s =
            Change({"wireguard-go", options_.interface_name}, &result);
        !s.ok()) {
      return s;
    }
  }
  auto dump = ReadDump();
  if (!dump.ok()) return dump.status();
  absl::Status s = ConfigurePeer(plan, *dump, &result);
  if (s.ok()) s = SyncAddress(plan, fresh, &result);
  if (s.ok() && (fresh || !link->up)) {
    s = Change({"ip", "link", "set", options_.interface_name, "up"}, &result);
  }
  if (s.ok()) s = SyncRoutes(plan, fresh, &result);
  if (s.ok()) s = SyncFullTunnelRules(plan.FullTunnelIpv4(), fresh, &result);
  if (!s.ok()) return s;
  SyncDns(plan, fresh, &result);
  return result;
}

TunnelObservation LinuxTunnelController::Observe() {
  TunnelObservation observation;
  auto link = ReadLink();
  if (!link.ok()) {
    observation.known = false;
    observation.detail = std::string(link.status().message());
    return observation;
  }
  observation.present = link->present;
  observation.up = link->up;
  if (!link->present) return observation;
  auto dump = ReadDump();
  if (!dump.ok()) {
    observation.detail = absl::StrCat("cannot read the WireGuard state: ",
                                      dump.status().message());
    return observation;
  }
  if (!dump->peers.empty()) {
    const wireguard::WgPeerState& peer = dump->peers.front();
    observation.peer_endpoint = peer.endpoint;
    if (peer.latest_handshake_unix > 0) {
      observation.latest_handshake =
          absl::FromUnixSeconds(peer.latest_handshake_unix);
    }
  }
  return observation;
}

}  // namespace trellis::agent::linux_vpn
