// trellis-gateway's command line: checks its inputs (credentials, the
// WireGuard interface), then runs the peer watcher until SIGTERM or SIGINT.
#ifndef TRELLIS_GATEWAY_APP_GATEWAY_APP_H_
#define TRELLIS_GATEWAY_APP_GATEWAY_APP_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/exec/command_runner.h"
#include "common/util/args.h"

namespace trellis::gateway {

// The flags it accepts, with their documentation; the parser accepts
// exactly these and GatewayUsage() lists exactly these.
const std::vector<FlagDoc>& GatewayFlagDocs();
std::string GatewayUsage();

struct GatewayFlags {
  bool help = false;
  bool version = false;
  std::string credentials_path;
  std::string interface_name;
  std::string server_address;  // empty: the one in the credentials
  std::string log_level = "info";
  std::string nft_dir = "/run/trellis-gateway";
};

// InvalidArgument naming the flag at fault.
absl::StatusOr<GatewayFlags> ParseGatewayFlags(
    const std::vector<std::string>& args);

// The whole program. `runner` runs wg and nft. Returns the exit code: 0
// after a clean stop, 1 when the credentials or the interface are unusable,
// 2 for a usage error.
int RunGateway(const std::vector<std::string>& args, CommandRunner* runner,
               std::ostream& out, std::ostream& err);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_APP_GATEWAY_APP_H_
