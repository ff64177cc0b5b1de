// Moves a device to a compliance state inside a store write, recording the
// transition (time and cause) when the state actually changes. The caller
// writes the device row.
#ifndef TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_
#define TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "server/store/store.h"

namespace trellis::server {

absl::Status MoveCompliance(StoreWriter& writer, DeviceRecord& device,
                            v1::ComplianceState to,
                            std::optional<absl::Time> grace_deadline,
                            const std::string& cause, absl::Time now);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_COMPLIANCE_TRANSITION_H_
