// trellis-server's `serve` command line, turned into a ServerConfig with
// every value checked against its documented range before anything starts.
//
// Errors are InvalidArgument naming the flag and its allowed range; the
// binary reports them and exits 2 (a usage error), while a failure to start
// (port in use, unreadable state) exits 1.
#ifndef TRELLIS_SERVER_SERVER_FLAGS_H_
#define TRELLIS_SERVER_SERVER_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/args.h"
#include "server/operators/operator_provisioning.h"
#include "server/server_config.h"

namespace trellis::server {

// Allowed ranges of the numeric flags (inclusive).
inline constexpr absl::Duration kMinDeviceCertLifetime = absl::Minutes(10);
inline constexpr absl::Duration kMaxDeviceCertLifetime = absl::Hours(24 * 365);
inline constexpr absl::Duration kMinCheckinInterval = absl::Seconds(1);
inline constexpr absl::Duration kMaxCheckinInterval = absl::Hours(24);
inline constexpr absl::Duration kMinValidityWindow = absl::Seconds(2);
inline constexpr absl::Duration kMaxValidityWindow = absl::Hours(24 * 30);
inline constexpr absl::Duration kMinRestartGrace = absl::ZeroDuration();
inline constexpr absl::Duration kMaxRestartGrace = absl::Hours(24);
inline constexpr int kMinEnrollFailureLimit = 1;
inline constexpr int kMaxEnrollFailureLimit = 1000000;

struct ServeFlags {
  ServerConfig config;
  std::string log_level;  // empty: leave the default
};

// Parses `serve`'s flags (without the command word). Unknown flags, stray
// words, malformed values and out-of-range values are all errors.
absl::StatusOr<ServeFlags> ParseServeFlags(
    const std::vector<std::string>& argv);

// The range and consistency rules for everything a flag can set, named by
// flag. TrellisServer::Start applies them too, so a config built in code
// obeys the same rules as one built from a command line.
absl::Status ValidateServerConfig(const ServerConfig& config);

// `operator create`'s command line.
struct OperatorCreateFlags {
  std::string state_dir;
  std::string out;  // empty: the credentials go to stdout
  // server_address empty: the one `serve` recorded in the state directory.
  OperatorRequest request;
};

// Parses `operator create`'s flags (without the two command words), with
// the same rules as ParseServeFlags.
absl::StatusOr<OperatorCreateFlags> ParseOperatorCreateFlags(
    const std::vector<std::string>& argv);

// The flags each command accepts, with their documentation: the parsers
// accept exactly these, and ServerUsage() lists exactly these.
const std::vector<FlagDoc>& ServeFlagDocs();
const std::vector<FlagDoc>& OperatorCreateFlagDocs();

// trellis-server's --help text.
std::string ServerUsage();

// True for a host that accepts connections on every address of the machine
// (0.0.0.0, [::], ::).
bool IsWildcardHost(const std::string& host);

// "0.0.0.0:0" -> "0.0.0.0"; "[::1]:8443" -> "[::1]".
std::string HostOf(const std::string& address);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_SERVER_FLAGS_H_
