// `trellis-server operator create`: issues an operator certificate from the
// CA in the state directory, records the operator (audited), and returns the
// credentials file text. Runs beside a live server: the store is shared
// through SQLite's locking.
#ifndef TRELLIS_SERVER_OPERATORS_OPERATOR_PROVISIONING_H_
#define TRELLIS_SERVER_OPERATORS_OPERATOR_PROVISIONING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "server/store/store.h"
#include "trellis/v1/common.pb.h"

namespace trellis::server {

// How long operator credentials may be valid (inclusive). Shorter ones
// would be expired, or nearly, by the time they are used, and then fail at
// the TLS handshake with nothing saying why.
inline constexpr absl::Duration kMinOperatorLifetime = absl::Hours(1);
inline constexpr absl::Duration kMaxOperatorLifetime = absl::Hours(24 * 3650);

struct OperatorRequest {
  std::string name;
  std::string role;  // admin | helpdesk | auditor | gateway
  std::string server_address;
  absl::Duration lifetime = absl::Hours(24 * 90);
  std::string actor = "local:trellis-server";
};

absl::StatusOr<v1::Role> ParseRole(const std::string& role);

// Writes the operator to `store`; returns the credentials file content.
// InvalidArgument naming the field for a bad name, role or lifetime (outside
// [kMinOperatorLifetime, kMaxOperatorLifetime]).
absl::StatusOr<std::string> CreateOperator(const std::string& state_dir,
                                           Store& store,
                                           const OperatorRequest& request,
                                           const Clock& clock);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_OPERATORS_OPERATOR_PROVISIONING_H_
