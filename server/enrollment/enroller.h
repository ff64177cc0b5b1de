// Enrolment: exchanges a one-time token and a CSR for a device certificate,
// consuming the token and creating the device in one atomic write.
#ifndef TRELLIS_SERVER_ENROLLMENT_ENROLLER_H_
#define TRELLIS_SERVER_ENROLLMENT_ENROLLER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "server/enrollment/failure_limiter.h"
#include "server/pki/server_pki.h"
#include "server/server_config.h"
#include "server/store/store.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::server {

class Enroller {
 public:
  using Done = std::function<void(absl::StatusOr<v1::EnrollResponse>)>;

  Enroller(Store* store, const ServerPki* pki, const ServerConfig* config,
           FailureLimiter* limiter)
      : store_(store), pki_(pki), config_(config), limiter_(limiter) {}

  // `peer_host` keys the failed-attempt limit. `done` runs once, possibly
  // on the store's writer thread.
  void Enroll(const v1::EnrollRequest& request, const std::string& peer_host,
              Done done);

  // Issues a device certificate for `public_key_pem`.
  absl::StatusOr<std::string> IssueDeviceCertificate(
      const std::string& device_id, const std::string& public_key_pem,
      absl::Time now) const;

 private:
  Store* store_;
  const ServerPki* pki_;
  const ServerConfig* config_;
  FailureLimiter* limiter_;
};

// In a write: stores `device` with a certificate just issued for it
// (serial, expiry) and appends the audit entry `action` by the device, with
// `details_json`.
absl::Status SaveIssuedCertificate(StoreWriter& w, DeviceRecord device,
                                   const std::string& serial_hex,
                                   absl::Time expires_at, absl::Time now,
                                   const std::string& action,
                                   std::string details_json);

// Validates the self-described device fields of an enrolment.
absl::Status ValidateDescription(const v1::DeviceDescription& description);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_ENROLLMENT_ENROLLER_H_
