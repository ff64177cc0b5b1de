// `trellis-agent enroll`: pins the CA from the token, makes the device key
// locally, sends only a CSR, and stores the certificate.
#ifndef TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_
#define TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/facts/device_probe.h"
#include "agent/state/agent_state.h"
#include "common/util/clock.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

struct EnrollOptions {
  std::string token;
  // Overrides the address in the token (e.g. behind NAT); the CA pin still
  // comes from the token.
  std::string server_override;
  absl::Duration timeout = absl::Seconds(15);
};

absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe);

// What the device says about itself at enrolment (OS, host name, serial).
v1::DeviceDescription DescribeDevice(DeviceProbe& probe);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_
