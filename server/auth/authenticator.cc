#include "server/auth/authenticator.h"

#include "absl/strings/str_cat.h"
#include "common/identity/device_id.h"
#include "common/util/time_format.h"
#include "server/auth/peer_certificate.h"

namespace trellis::server {

const char* DeviceStateName(v1::DeviceState state) {
  switch (state) {
    case v1::DEVICE_STATE_ACTIVE:
      return "active";
    case v1::DEVICE_STATE_REVOKED:
      return "revoked";
    case v1::DEVICE_STATE_RETIRED:
      return "retired";
    default:
      return "unknown";
  }
}

absl::StatusOr<DeviceRecord> RequireActiveDevice(StoreReader& reader,
                                                 const std::string& device_id) {
  auto device = reader.GetDevice(device_id);
  if (!device.ok()) return device.status();
  if (!device->has_value() || (*device)->state != v1::DEVICE_STATE_ACTIVE) {
    return absl::PermissionDeniedError(
        absl::StrCat("device ", device_id, " is no longer active"));
  }
  return **std::move(device);
}

void PromotePendingKey(DeviceRecord& device) {
  if (device.pending_key_hash.empty()) return;
  device.key_hash = device.pending_key_hash;
  device.pending_key_hash.clear();
}

absl::StatusOr<AuthenticatedDevice> Authenticator::AuthenticateDevice(
    const grpc::AuthContext& auth) {
  auto cert = PeerCertificate(auth);
  if (!cert.ok()) return cert.status();
  if (cert->organizational_unit != identity::kDeviceUnit) {
    return absl::UnauthenticatedError(
        "the client certificate is not a device certificate");
  }
  AuthenticatedDevice result;
  bool found = false;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto device = r.FindDeviceByKeyHash(cert->public_key_sha256);
    if (!device.ok()) return device.status();
    if (!device->has_value()) return absl::OkStatus();
    found = true;
    result.device = **std::move(device);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  // The certificate names its device; a key that belongs to another device
  // (or none) is refused.
  if (!found || result.device.device_id != cert->common_name) {
    return absl::UnauthenticatedError(
        "the client certificate does not belong to an enrolled device");
  }
  if (result.device.state != v1::DEVICE_STATE_ACTIVE) {
    std::string why =
        result.device.revocation_reason.empty()
            ? ""
            : absl::StrCat(" (", result.device.revocation_reason, ")");
    return absl::PermissionDeniedError(
        absl::StrCat("device ", result.device.device_id, " is ",
                     DeviceStateName(result.device.state), why,
                     "; enrol again with a new token"));
  }
  result.used_pending_key =
      !result.device.pending_key_hash.empty() &&
      result.device.pending_key_hash == cert->public_key_sha256;
  return result;
}

absl::StatusOr<OperatorRecord> Authenticator::AuthenticateOperator(
    const grpc::AuthContext& auth) {
  auto cert = PeerCertificate(auth);
  if (!cert.ok()) return cert.status();
  if (cert->organizational_unit != identity::kOperatorUnit) {
    return absl::UnauthenticatedError(
        "the admin API needs an operator certificate "
        "(trellis-server operator create)");
  }
  std::optional<OperatorRecord> op;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto found = r.FindOperatorByKeyHash(cert->public_key_sha256);
    if (!found.ok()) return found.status();
    op = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!op || op->name != cert->common_name) {
    return absl::UnauthenticatedError(
        "the operator certificate is not (or no longer) registered; create "
        "new credentials with trellis-server operator create");
  }
  return *op;
}

absl::Status Authenticator::RecheckOperator(const OperatorRecord& seen,
                                            Operation operation,
                                            absl::Time now) {
  std::optional<OperatorRecord> op;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto found = r.GetOperator(seen.name);
    if (!found.ok()) return found.status();
    op = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!op) {
    return absl::UnauthenticatedError(
        absl::StrCat("operator ", seen.name, " was removed"));
  }
  if (op->key_hash != seen.key_hash) {
    return absl::UnauthenticatedError(
        absl::StrCat("the credential of operator ", seen.name,
                     " was replaced; reconnect with the new credentials file"));
  }
  if (now >= op->cert_expires_at) {
    return absl::UnauthenticatedError(
        absl::StrCat("the credential of operator ", seen.name, " expired at ",
                     Rfc3339(op->cert_expires_at)));
  }
  absl::Status allowed = CheckOperatorRole(operation, op->role);
  if (!allowed.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("operator ", seen.name, " now has role ",
                     RoleName(op->role), ": ", allowed.message()));
  }
  return absl::OkStatus();
}

}  // namespace trellis::server
