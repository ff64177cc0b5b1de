#include "agent/enroll/device_enrollment.h"

#include "absl/strings/str_cat.h"
#include "agent/enroll/ca_pinning.h"
#include "agent/rpc/channel.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "common/facts/fact_values.h"
#include "common/util/files.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::agent {

v1::DeviceDescription DescribeDevice(DeviceProbe& probe) {
  v1::FactTable os = probe.CollectTable("os_version").value_or(v1::FactTable());
  v1::FactTable info =
      probe.CollectTable("system_info").value_or(v1::FactTable());
  v1::DeviceDescription d;
  d.set_platform(probe.platform());
  d.set_hostname(facts::FirstRowText(info, "hostname"));
  d.set_hardware_serial(facts::FirstRowText(info, "hardware_serial"));
  d.set_os_name(facts::FirstRowText(os, "name"));
  d.set_os_version(facts::FirstRowText(os, "version_id"));
  d.set_agent_version(TRELLIS_VERSION);
  return d;
}

absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe) {
  if (state.IsEnrolled()) {
    return absl::AlreadyExistsError(
        absl::StrCat("already enrolled (", state.dir(),
                     "); to enrol again, remove that directory first"));
  }
  auto token = enrollment::ParseToken(options.token);
  if (!token.ok()) return token.status();
  std::string address = options.server_override.empty()
                            ? token->server_address
                            : options.server_override;

  auto ca_pem =
      FetchPinnedCa(address, token->ca_fingerprint_sha256, options.timeout);
  if (!ca_pem.ok()) return ca_pem.status();

  // The key is made here and never leaves the device.
  auto keys = crypto::GenerateKeyPair();
  if (!keys.ok()) return keys.status();
  auto csr = crypto::MakeCsr(keys->private_key_pem, "trellis-device");
  if (!csr.ok()) return csr.status();

  auto stub = v1::DeviceService::NewStub(
      MakeChannel(address, ChannelIdentity{*ca_pem, "", ""}));
  v1::EnrollRequest request;
  request.set_enrollment_token(options.token);
  request.set_csr_pem(*csr);
  *request.mutable_description() = DescribeDevice(probe);
  v1::EnrollResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  // A person is waiting on this one call: ride out a connection attempt that
  // fails transiently (server busy with other handshakes) until the
  // deadline, rather than failing at once.
  context.set_wait_for_ready(true);
  grpc::Status status = stub->Enroll(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("enrolment refused by ", address, ": ",
                                     status.error_message()));
  }
  // The server must hand back the CA we pinned and a certificate for our key.
  auto issued_fp =
      crypto::CertificateFingerprintSha256(response.ca_certificate_pem());
  if (!issued_fp.ok() || *issued_fp != token->ca_fingerprint_sha256) {
    return absl::PermissionDeniedError(
        "the server answered with a CA other than the pinned one");
  }
  auto cert = crypto::ParseCertificate(response.certificate_pem());
  if (!cert.ok()) return cert.status();
  if (cert->public_key_pem != keys->public_key_pem) {
    return absl::PermissionDeniedError(
        "the server issued a certificate for a key that is not ours");
  }

  absl::Status saved = state.SaveIdentity(keys->private_key_pem,
                                          response.certificate_pem(), *ca_pem);
  if (!saved.ok()) return saved;
  // Pinned now, over the channel already pinned to the CA: every policy
  // bundle must verify with this key.
  if (!response.policy_signing_public_key_pem().empty()) {
    saved = WriteFileAtomic(state.PolicyKeyPath(),
                            response.policy_signing_public_key_pem(), 0644);
    if (!saved.ok()) return saved;
  }
  AgentRecord record;
  record.server_address = address;
  record.device_id = response.device_id();
  record.group = response.group();
  record.ownership =
      response.ownership() == v1::OWNERSHIP_PERSONAL ? "personal" : "corporate";
  record.enrolled_at = probe.clock()->Now();
  record.last_checkin_result = "enrolled; no check-in yet";
  saved = state.SaveRecord(record);
  if (!saved.ok()) return saved;
  return response;
}

}  // namespace trellis::agent
