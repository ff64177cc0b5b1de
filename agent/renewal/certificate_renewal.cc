#include "agent/renewal/certificate_renewal.h"

#include "absl/strings/str_cat.h"
#include "agent/rpc/channel.h"
#include "common/util/logging.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::agent {

bool RenewalDue(const crypto::CertificateInfo& cert, absl::Time now) {
  absl::Time midpoint =
      cert.not_before + (cert.not_after - cert.not_before) / 2;
  return now >= midpoint;
}

absl::Status RenewCertificate(const AgentState& state,
                              const AgentRecord& record,
                              absl::Duration timeout) {
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return identity.status();
  auto keys = crypto::GenerateKeyPair();
  if (!keys.ok()) return keys.status();
  auto csr = crypto::MakeCsr(keys->private_key_pem, "trellis-device");
  if (!csr.ok()) return csr.status();

  auto stub = v1::DeviceService::NewStub(
      MakeChannel(record.server_address,
                  ChannelIdentity{identity->ca_pem, identity->cert_pem,
                                  identity->key_pem}));
  v1::RenewRequest request;
  request.set_csr_pem(*csr);
  v1::RenewResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status status = stub->Renew(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(
        static_cast<absl::StatusCode>(status.error_code()),
        absl::StrCat("renewal refused: ", status.error_message()));
  }
  auto cert = crypto::ParseCertificate(response.certificate_pem());
  if (!cert.ok()) return cert.status();
  if (cert->public_key_pem != keys->public_key_pem ||
      cert->common_name != record.device_id) {
    return absl::PermissionDeniedError(
        "the renewed certificate is not for this device's new key");
  }
  absl::Status verified = crypto::VerifyIssuedBy(response.certificate_pem(),
                                                 identity->ca_pem, absl::Now());
  if (!verified.ok()) return verified;
  absl::Status installed = state.InstallRenewedIdentity(
      keys->private_key_pem, response.certificate_pem());
  if (!installed.ok()) return installed;
  LogInfo("agent: renewed certificate; new one expires ",
          absl::FormatTime(cert->not_after));
  return absl::OkStatus();
}

absl::StatusOr<bool> RenewIfDue(const AgentState& state,
                                const AgentRecord& record, absl::Time now,
                                absl::Duration timeout) {
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return identity.status();
  auto cert = crypto::ParseCertificate(identity->cert_pem);
  if (!cert.ok()) return cert.status();
  if (!RenewalDue(*cert, now)) return false;
  absl::Status s = RenewCertificate(state, record, timeout);
  if (!s.ok()) return s;
  return true;
}

}  // namespace trellis::agent
