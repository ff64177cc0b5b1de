// The tunnel on Linux: a wireguard-go interface configured with wg and ip,
// through CommandRunner only (no shell). Every step reads the current state
// first and changes only what differs, so re-applying a plan never flaps
// the interface.
//
// A full IPv4 tunnel (0.0.0.0/0) is routed the way wg-quick(8) does it: the
// default route goes into a routing table of its own, WireGuard marks its
// own packets with the same number, and two policy rules send everything
// unmarked to that table while leaving more specific main-table routes
// (the local network) in force. The gateway's packets carry the mark, so
// they never loop into the tunnel. IPv6 networks are given to the peer but
// no IPv6 routes are installed; Apply says so in its notes.
#ifndef TRELLIS_AGENT_VPN_LINUX_LINUX_TUNNEL_CONTROLLER_H_
#define TRELLIS_AGENT_VPN_LINUX_LINUX_TUNNEL_CONTROLLER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/vpn/tunnel_controller.h"
#include "common/exec/command_runner.h"
#include "common/wireguard/wg_dump.h"

namespace trellis::agent::linux_vpn {

struct LinuxTunnelOptions {
  // At most 15 characters, and unique per machine: wireguard-go's control
  // sockets live in one shared directory (/var/run/wireguard).
  std::string interface_name = "trellis0";
  // wireguard.key in the agent's state directory; wg reads it itself, so the
  // private key never appears on a command line.
  std::string private_key_path;
  // Its public half, to tell whether the interface already holds our key.
  std::string public_key;
  // Routing table and fwmark of a full tunnel (wg-quick's default number).
  uint32_t routing_table = 51820;
  absl::Duration command_timeout = absl::Seconds(10);
};

// InvalidArgument unless `name` is 1..15 of [A-Za-z0-9_-], not starting
// with '-'.
absl::Status ValidateInterfaceName(absl::string_view name);

class LinuxTunnelController : public TunnelController {
 public:
  LinuxTunnelController(CommandRunner* runner, LinuxTunnelOptions options)
      : runner_(runner), options_(std::move(options)) {}

  absl::StatusOr<ApplyResult> Apply(const TunnelPlan& plan) override;
  TunnelObservation Observe() override;
  std::string Describe() const override;

 private:
  struct Link {
    bool present = false;
    bool up = false;
  };

  // Runs argv; NotFound becomes an error naming the missing program and
  // its package.
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv);
  // Runs a command that must succeed (exit 0), and marks a change.
  absl::Status Change(const std::vector<std::string>& argv,
                      ApplyResult* result);
  absl::StatusOr<Link> ReadLink();
  absl::StatusOr<wireguard::WgDump> ReadDump();

  absl::Status ConfigurePeer(const TunnelPlan& plan,
                             const wireguard::WgDump& dump,
                             ApplyResult* result);
  absl::Status SyncAddress(const TunnelPlan& plan, bool fresh,
                           ApplyResult* result);
  absl::Status SyncRoutes(const TunnelPlan& plan, bool fresh,
                          ApplyResult* result);
  absl::Status SyncFullTunnelRules(bool want, bool fresh, ApplyResult* result);
  void SyncDns(const TunnelPlan& plan, bool fresh, ApplyResult* result);
  absl::StatusOr<ApplyResult> Down();

  std::string FwmarkRule() const;

  CommandRunner* runner_;
  LinuxTunnelOptions options_;
};

}  // namespace trellis::agent::linux_vpn

#endif  // TRELLIS_AGENT_VPN_LINUX_LINUX_TUNNEL_CONTROLLER_H_
