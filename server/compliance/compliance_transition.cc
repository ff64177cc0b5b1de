#include "server/compliance/compliance_transition.h"

namespace trellis::server {

absl::Status MoveCompliance(StoreWriter& writer, DeviceRecord& device,
                            v1::ComplianceState to,
                            std::optional<absl::Time> grace_deadline,
                            const std::string& cause, absl::Time now) {
  device.grace_deadline = grace_deadline;
  if (device.compliance_state == to) return absl::OkStatus();
  TransitionRecord t;
  t.device_id = device.device_id;
  t.at = now;
  t.from_state = device.compliance_state;
  t.to_state = to;
  t.cause = cause.substr(0, 1024);
  device.compliance_state = to;
  return writer.AppendTransition(t);
}

}  // namespace trellis::server
