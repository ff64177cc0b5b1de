#include "server/enrollment/enroller.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/enrollment/token.h"
#include "common/identity/device_id.h"
#include "common/util/json.h"
#include "common/util/logging.h"
#include "common/util/proto_time.h"
#include "server/audit/audit_log.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

// Tolerates device clocks a little behind the server's.
constexpr absl::Duration kBackdate = absl::Minutes(5);

// Token problems count towards the per-peer failure limit; server faults
// do not.
bool IsTokenFailure(const absl::Status& s) {
  return absl::IsNotFound(s) || absl::IsFailedPrecondition(s) ||
         absl::IsInvalidArgument(s);
}

// The token is genuine and still valid (known, right secret, not revoked,
// not expired); its uses are checked apart, because a retry of the very
// enrolment that used it up is still answered.
absl::Status CheckTokenValid(const std::optional<TokenRecord>& token,
                             const std::string& secret_hash, absl::Time now) {
  // A wrong secret looks exactly like an unknown id, so ids cannot be probed.
  if (!token || !crypto::ConstantTimeEquals(token->secret_hash, secret_hash)) {
    return absl::NotFoundError(
        "enrolment token not recognised; check it was copied whole");
  }
  if (token->revoked_at) {
    return absl::FailedPreconditionError(
        absl::StrCat("enrolment token ", token->token_id,
                     " was revoked; ask IT for a new one"));
  }
  if (now >= token->expires_at) {
    return absl::FailedPreconditionError(
        absl::StrCat("enrolment token ", token->token_id, " expired at ",
                     absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                      token->expires_at, absl::UTCTimeZone()),
                     "; ask IT for a new one"));
  }
  return absl::OkStatus();
}

absl::Status CheckTokenHasUses(const TokenRecord& token) {
  if (token.uses >= token.max_uses) {
    return absl::FailedPreconditionError(absl::StrCat(
        "enrolment token ", token.token_id, " has already been used",
        token.max_uses > 1 ? absl::StrCat(" (", token.max_uses, " of ",
                                          token.max_uses, " uses)")
                           : "",
        "; ask IT for a new one"));
  }
  return absl::OkStatus();
}

// The same key with the same token: a retry of an enrolment whose answer
// was lost. Answered as the same device, with a fresh certificate for the
// same key, without spending another use. Only the holder of the token and
// of the key (the CSR is signed with it) gets here, and only while the token
// is valid; anything else about an enrolled key is refused.
absl::Status RepeatEnrollment(StoreWriter& w, DeviceRecord d,
                              const TokenRecord& token,
                              const std::string& key_hash,
                              const std::string& device_id,
                              const std::string& serial_hex,
                              absl::Time cert_expiry, absl::Time now,
                              v1::EnrollResponse& response) {
  // A key that came from a renewal names another device id: no enrolment
  // to repeat.
  if (d.token_id != token.token_id || d.key_hash != key_hash ||
      d.device_id != device_id || d.state != v1::DEVICE_STATE_ACTIVE) {
    return absl::AlreadyExistsError(
        absl::StrCat("this key is already enrolled as device ", d.device_id,
                     "; make a new key to enrol again"));
  }
  absl::Status s = SaveIssuedCertificate(
      w, d, serial_hex, cert_expiry, now, "device.enroll_retry",
      JsonObject()
          .Add("token_id", token.token_id)
          .Add("certificate_serial", serial_hex)
          .Build());
  if (!s.ok()) return s;
  response.set_flagged_possible_clone(!d.clone_of_device_id.empty());
  response.set_group(d.group);
  response.set_ownership(d.ownership);
  return absl::OkStatus();
}

}  // namespace

absl::Status SaveIssuedCertificate(StoreWriter& w, DeviceRecord device,
                                   const std::string& serial_hex,
                                   absl::Time expires_at, absl::Time now,
                                   const std::string& action,
                                   std::string details_json) {
  device.cert_serial_hex = serial_hex;
  device.cert_expires_at = expires_at;
  absl::Status s = w.UpdateDevice(device);
  if (!s.ok()) return s;
  AuditRecord audit;
  audit.time = now;
  audit.actor = absl::StrCat("device:", device.device_id);
  audit.action = action;
  audit.target = device.device_id;
  audit.details_json = std::move(details_json);
  return AppendAudit(w, audit).status();
}

absl::Status ValidateDescription(const v1::DeviceDescription& d) {
  for (auto [name, value, max] :
       {std::make_tuple("description.hostname", &d.hostname(), 253),
        std::make_tuple("description.hardware_serial", &d.hardware_serial(),
                        128),
        std::make_tuple("description.os_name", &d.os_name(), 128),
        std::make_tuple("description.os_version", &d.os_version(), 128),
        std::make_tuple("description.agent_version", &d.agent_version(), 64)}) {
    absl::Status s = CheckText(name, *value, max);
    if (!s.ok()) return s;
  }
  if (!v1::Platform_IsValid(d.platform())) {
    return absl::InvalidArgumentError("description.platform is not known");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Enroller::IssueDeviceCertificate(
    const std::string& device_id, const std::string& public_key_pem,
    absl::Time now) const {
  crypto::CertRequest request;
  request.public_key_pem = public_key_pem;
  request.common_name = device_id;
  request.organizational_unit = std::string(identity::kDeviceUnit);
  request.usage = crypto::CertUsage::kClient;
  request.not_before = now - kBackdate;
  request.not_after = now + config_->device_certificate_lifetime;
  return pki_->ca.Issue(request);
}

void Enroller::Enroll(const v1::EnrollRequest& request,
                      const std::string& peer_host, Done done) {
  absl::Status limited = limiter_->Check(peer_host);
  if (!limited.ok()) {
    done(limited);
    return;
  }
  auto fail = [&](absl::Status s) {
    if (IsTokenFailure(s)) limiter_->RecordFailure(peer_host);
    done(std::move(s));
  };

  auto token = enrollment::ParseToken(request.enrollment_token());
  if (!token.ok()) return fail(token.status());
  if (request.csr_pem().empty()) {
    return fail(absl::InvalidArgumentError("csr_pem is required"));
  }
  if (request.csr_pem().size() > 16384) {
    return fail(absl::InvalidArgumentError("csr_pem is too long"));
  }
  absl::Status described = ValidateDescription(request.description());
  if (!described.ok()) return fail(described);
  auto public_key = crypto::PublicKeyFromCsr(request.csr_pem());
  if (!public_key.ok()) {
    return fail(absl::InvalidArgumentError(
        absl::StrCat("csr_pem: ", public_key.status().message())));
  }
  auto key_hash = crypto::PublicKeySha256(*public_key);
  if (!key_hash.ok()) return fail(key_hash.status());

  const absl::Time now = config_->clock->Now();
  const std::string device_id = identity::DeviceIdFromKeyHash(*key_hash);
  auto cert_pem = IssueDeviceCertificate(device_id, *public_key, now);
  if (!cert_pem.ok()) return fail(cert_pem.status());
  auto cert = crypto::ParseCertificate(*cert_pem);
  if (!cert.ok()) return fail(cert.status());

  // Everything the write decides, returned through the shared response.
  auto response = std::make_shared<v1::EnrollResponse>();
  response->set_device_id(device_id);
  response->set_certificate_pem(*cert_pem);
  response->set_ca_certificate_pem(pki_->ca.certificate_pem());
  *response->mutable_certificate_expires_at() = ToProtoTime(cert->not_after);
  response->set_checkin_interval_seconds(config_->checkin_interval_seconds);
  response->set_policy_signing_public_key_pem(
      pki_->policy_signing.public_key_pem);

  std::string secret_hash = enrollment::HashSecret(token->secret);
  const v1::DeviceDescription description = request.description();
  std::string token_id = token->token_id;
  std::string serial_hex = cert->serial_hex;
  absl::Time cert_expiry = cert->not_after;
  std::string hash = *key_hash;

  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto stored = w.GetToken(token_id);
        if (!stored.ok()) return stored.status();
        absl::Status valid = CheckTokenValid(*stored, secret_hash, now);
        if (!valid.ok()) return valid;
        TokenRecord t = **stored;

        auto existing = w.FindDeviceByKeyHash(hash);
        if (!existing.ok()) return existing.status();
        if (existing->has_value()) {
          return RepeatEnrollment(w, **std::move(existing), t, hash, device_id,
                                  serial_hex, cert_expiry, now, *response);
        }
        absl::Status has_uses = CheckTokenHasUses(t);
        if (!has_uses.ok()) return has_uses;
        DeviceRecord d;
        d.device_id = device_id;
        d.key_hash = hash;
        d.hostname = description.hostname();
        d.hardware_serial = description.hardware_serial();
        d.platform = description.platform();
        d.os_name = description.os_name();
        d.os_version = description.os_version();
        d.agent_version = description.agent_version();
        d.group = t.group;
        d.ownership = t.ownership;
        d.state = v1::DEVICE_STATE_ACTIVE;
        d.enrolled_at = now;
        d.cert_serial_hex = serial_hex;
        d.cert_expires_at = cert_expiry;
        d.token_id = t.token_id;
        if (!d.hardware_serial.empty()) {
          auto same_serial = w.FindDevicesBySerial(d.hardware_serial);
          if (!same_serial.ok()) return same_serial.status();
          if (!same_serial->empty()) {
            // Same hardware, different key: kept apart, never overwritten.
            d.clone_of_device_id = same_serial->front().device_id;
          }
        }
        absl::Status s = w.InsertDevice(d);
        if (!s.ok()) return s;
        ++t.uses;
        s = w.UpdateToken(t);
        if (!s.ok()) return s;
        JsonObject details;
        details.Add("token_id", t.token_id)
            .Add("group", t.group)
            .Add("hostname", d.hostname)
            .Add("hardware_serial", d.hardware_serial)
            .Add("certificate_serial", serial_hex);
        if (!d.clone_of_device_id.empty()) {
          details.Add("possible_clone_of", d.clone_of_device_id);
        }
        AuditRecord audit;
        audit.time = now;
        audit.actor = absl::StrCat("device:", device_id);
        audit.action = "device.enroll";
        audit.target = device_id;
        audit.details_json = details.Build();
        auto appended = AppendAudit(w, audit);
        if (!appended.ok()) return appended.status();
        response->set_flagged_possible_clone(!d.clone_of_device_id.empty());
        response->set_group(t.group);
        response->set_ownership(t.ownership);
        return absl::OkStatus();
      },
      [this, response, peer_host, device_id,
       done = std::move(done)](absl::Status s) {
        if (!s.ok()) {
          if (IsTokenFailure(s)) limiter_->RecordFailure(peer_host);
          done(s);
          return;
        }
        LogInfo("enrol: device ", device_id, " enrolled",
                response->flagged_possible_clone()
                    ? " (flagged: possible clone)"
                    : "");
        done(*response);
      });
}

}  // namespace trellis::server
