// Maps a call's client certificate to a device or an operator, checking the
// stored state on every call: a revoked device or a removed operator is
// refused at once, without waiting for certificates to expire.
#ifndef TRELLIS_SERVER_AUTH_AUTHENTICATOR_H_
#define TRELLIS_SERVER_AUTH_AUTHENTICATOR_H_

#include "absl/status/statusor.h"
#include "grpcpp/security/auth_context.h"
#include "server/auth/permissions.h"
#include "server/store/store.h"

namespace trellis::server {

struct AuthenticatedDevice {
  DeviceRecord device;
  // True when the call used the key from a renewal not yet seen in use; the
  // caller promotes it (and retires the old key) in its next write.
  bool used_pending_key = false;
};

class Authenticator {
 public:
  explicit Authenticator(Store* store) : store_(store) {}

  // Unauthenticated: no certificate, not a device certificate, unknown key.
  // PermissionDenied: device revoked or retired (the message says which).
  absl::StatusOr<AuthenticatedDevice> AuthenticateDevice(
      const grpc::AuthContext& auth);

  absl::StatusOr<OperatorRecord> AuthenticateOperator(
      const grpc::AuthContext& auth);

  // For a long-lived call: is the operator `seen` at the call's start still
  // registered with the same key, unexpired at `now`, and allowed
  // `operation`? Unauthenticated when the credential was replaced, removed
  // or expired, PermissionDenied when the role no longer allows it; the
  // message names the operator and the reason.
  absl::Status RecheckOperator(const OperatorRecord& seen, Operation operation,
                               absl::Time now);

 private:
  Store* store_;
};

// Re-reads a device inside a write: PermissionDenied if it is gone or no
// longer active (revoked while its call was queued).
absl::StatusOr<DeviceRecord> RequireActiveDevice(StoreReader& reader,
                                                 const std::string& device_id);

// Folds a renewed key in: the pending key becomes the current one.
void PromotePendingKey(DeviceRecord& device);

const char* DeviceStateName(v1::DeviceState state);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUTH_AUTHENTICATOR_H_
