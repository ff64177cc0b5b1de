// Interface names reach argv, nftables rule text and file names, so the
// gateway accepts only the plain ones: what `ip link add` users type anyway.
#ifndef TRELLIS_GATEWAY_WIREGUARD_INTERFACE_NAME_H_
#define TRELLIS_GATEWAY_WIREGUARD_INTERFACE_NAME_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace trellis::gateway {

// 1 to 15 characters (the kernel's limit) of letters, digits, '_', '-' and
// '.', not starting with '-' or '.'. InvalidArgument saying why otherwise.
absl::Status ValidateInterfaceName(absl::string_view name);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_WIREGUARD_INTERFACE_NAME_H_
