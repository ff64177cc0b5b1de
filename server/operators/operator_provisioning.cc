#include "server/operators/operator_provisioning.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/identity/device_id.h"
#include "common/identity/operator_credentials.h"
#include "common/util/args.h"
#include "common/util/json.h"
#include "common/util/time_format.h"
#include "server/audit/audit_log.h"
#include "server/auth/authenticator.h"
#include "server/pki/server_pki.h"
#include "server/validation/fields.h"

namespace trellis::server {

absl::StatusOr<v1::Role> ParseRole(const std::string& role) {
  if (role == "admin") return v1::ROLE_ADMIN;
  if (role == "helpdesk") return v1::ROLE_HELPDESK;
  if (role == "auditor") return v1::ROLE_AUDITOR;
  if (role == "gateway") return v1::ROLE_GATEWAY;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role '", role, "'; use admin, helpdesk, auditor or gateway"));
}

absl::StatusOr<std::string> CreateOperator(const std::string& state_dir,
                                           Store& store,
                                           const OperatorRequest& request,
                                           const Clock& clock) {
  absl::Status s = CheckName("operator name", request.name);
  if (!s.ok()) return s;
  auto role = ParseRole(request.role);
  if (!role.ok()) return role.status();
  if (request.lifetime < kMinOperatorLifetime ||
      request.lifetime > kMaxOperatorLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lifetime must be between ", FormatHumanDuration(kMinOperatorLifetime),
        " and ", FormatHumanDuration(kMaxOperatorLifetime), " (got ",
        FormatHumanDuration(request.lifetime), ")"));
  }
  auto ca = LoadCa(state_dir);
  if (!ca.ok()) return ca.status();
  auto keys = crypto::GenerateKeyPair();
  if (!keys.ok()) return keys.status();

  const absl::Time now = clock.Now();
  crypto::CertRequest cert_request;
  cert_request.public_key_pem = keys->public_key_pem;
  cert_request.common_name = request.name;
  cert_request.organizational_unit = std::string(identity::kOperatorUnit);
  cert_request.usage = crypto::CertUsage::kClient;
  cert_request.not_before = now - absl::Minutes(5);
  cert_request.not_after = now + request.lifetime;
  auto cert = ca->Issue(cert_request);
  if (!cert.ok()) return cert.status();
  auto key_hash = crypto::PublicKeySha256(keys->public_key_pem);
  if (!key_hash.ok()) return key_hash.status();

  OperatorRecord op;
  op.name = request.name;
  op.role = *role;
  op.key_hash = *key_hash;
  op.created_at = now;
  op.created_by = request.actor;
  op.cert_expires_at = cert_request.not_after;
  s = store.WriteSync([&](StoreWriter& w) -> absl::Status {
    auto existing = w.GetOperator(op.name);
    if (!existing.ok()) return existing.status();
    absl::Status put = w.UpsertOperator(op);
    if (!put.ok()) return put;
    AuditRecord a;
    a.time = now;
    a.actor = request.actor;
    // Re-creating an operator replaces its key: the old file stops working.
    a.action = existing->has_value() ? "operator.replace" : "operator.create";
    a.target = op.name;
    a.details_json = JsonObject()
                         .Add("role", RoleName(op.role))
                         .Add("expires_at", Rfc3339(op.cert_expires_at))
                         .Build();
    return AppendAudit(w, a).status();
  });
  if (!s.ok()) return s;

  identity::OperatorCredentials creds;
  creds.server_address = request.server_address;
  creds.operator_name = request.name;
  creds.role = request.role;
  creds.certificate_pem = *cert;
  creds.private_key_pem = keys->private_key_pem;
  creds.ca_certificate_pem = ca->certificate_pem();
  return identity::FormatOperatorCredentials(creds);
}

}  // namespace trellis::server
