// WireGuardInterface over the `wg` tool (wireguard-tools), so it drives the
// kernel module and wireguard-go alike. Runs wg through CommandRunner, never
// a shell: keys and addresses from the server are argv entries, not text a
// shell would interpret.
#ifndef TRELLIS_GATEWAY_WIREGUARD_WG_COMMAND_INTERFACE_H_
#define TRELLIS_GATEWAY_WIREGUARD_WG_COMMAND_INTERFACE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/exec/command_runner.h"
#include "gateway/wireguard/wireguard_interface.h"

namespace trellis::gateway {

class WgCommandInterface : public WireGuardInterface {
 public:
  // `runner` must outlive this object.
  WgCommandInterface(std::string interface_name, CommandRunner* runner,
                     absl::Duration timeout = absl::Seconds(20));

  // `wg show IFACE dump`. The error carries wg's stderr, e.g. "Unable to
  // access interface: No such device" for a missing interface.
  absl::StatusOr<wireguard::WgDump> Show();

  absl::StatusOr<std::vector<wireguard::WgPeerState>> ListPeers() override;

  // One `wg set IFACE peer K1 remove peer K2 allowed-ips a,b ...` per batch,
  // so a snapshot of thousands of peers costs one exec (batches larger than
  // the kernel's argv limit are split).
  absl::Status Apply(const std::vector<PeerOp>& ops) override;

  const std::string& interface_name() const { return interface_name_; }

 private:
  absl::StatusOr<CommandResult> RunWg(const std::vector<std::string>& argv);

  std::string interface_name_;
  CommandRunner* runner_;
  absl::Duration timeout_;
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_WIREGUARD_WG_COMMAND_INTERFACE_H_
