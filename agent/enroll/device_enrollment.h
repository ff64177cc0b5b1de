// `trellis-agent enroll`: pins the CA from the token, makes the device key
// locally, sends only a CSR, and stores the certificate. The key and CSR are
// saved before they are sent (agent/enroll/pending_enrollment.h), so a lost
// answer is retried with the same key and the server answers it as the same
// device instead of refusing the spent token.
#ifndef TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_
#define TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_

#include <memory>
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
  // For all attempts together: a lost answer is sent again while time is
  // left, at most `max_attempts` times in all.
  absl::Duration timeout = absl::Seconds(15);
  int max_attempts = 3;
};

// How enrolment reaches the server; replaced in tests.
class EnrollTransport {
 public:
  virtual ~EnrollTransport() = default;
  // The server's CA, checked against the token's pin (ca_pinning.h).
  virtual absl::StatusOr<std::string> FetchPinnedCa(
      const std::string& address, const std::string& fingerprint,
      absl::Duration timeout) = 0;
  // One Enroll RPC over a channel that trusts only `ca_pem`.
  virtual absl::StatusOr<v1::EnrollResponse> Enroll(
      const std::string& address, const std::string& ca_pem,
      const v1::EnrollRequest& request, absl::Duration timeout) = 0;
};

// gRPC over TLS, pinned as ca_pinning.h describes.
std::unique_ptr<EnrollTransport> NewGrpcEnrollTransport();

absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe);
absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe,
                                                EnrollTransport& transport);

// What the device says about itself at enrolment (OS, host name, serial).
v1::DeviceDescription DescribeDevice(DeviceProbe& probe);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_ENROLL_DEVICE_ENROLLMENT_H_
