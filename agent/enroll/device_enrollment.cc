#include "agent/enroll/device_enrollment.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/enroll/ca_pinning.h"
#include "agent/enroll/pending_enrollment.h"
#include "agent/rpc/channel.h"
#include "common/crypto/pki.h"
#include "common/enrollment/token.h"
#include "common/facts/fact_values.h"
#include "common/util/files.h"
#include "common/util/logging.h"
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

namespace {

class GrpcEnrollTransport : public EnrollTransport {
 public:
  absl::StatusOr<std::string> FetchPinnedCa(const std::string& address,
                                            const std::string& fingerprint,
                                            absl::Duration timeout) override {
    return agent::FetchPinnedCa(address, fingerprint, timeout);
  }

  absl::StatusOr<v1::EnrollResponse> Enroll(const std::string& address,
                                            const std::string& ca_pem,
                                            const v1::EnrollRequest& request,
                                            absl::Duration timeout) override {
    auto stub = v1::DeviceService::NewStub(
        MakeChannel(address, ChannelIdentity{ca_pem, "", ""}));
    v1::EnrollResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    // A person is waiting on this one call: ride out a connection attempt
    // that fails transiently (server busy with other handshakes) until the
    // deadline, rather than failing at once.
    context.set_wait_for_ready(true);
    grpc::Status status = stub->Enroll(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    return response;
  }
};

// The request may have reached the server even though no answer came back.
bool AnswerMayBeLost(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsAborted(status) || absl::IsCancelled(status) ||
         absl::IsUnknown(status);
}

}  // namespace

std::unique_ptr<EnrollTransport> NewGrpcEnrollTransport() {
  return std::make_unique<GrpcEnrollTransport>();
}

absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe) {
  GrpcEnrollTransport transport;
  return EnrollDevice(state, options, probe, transport);
}

absl::StatusOr<v1::EnrollResponse> EnrollDevice(const AgentState& state,
                                                const EnrollOptions& options,
                                                DeviceProbe& probe,
                                                EnrollTransport& transport) {
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
  const absl::Time deadline = absl::Now() + options.timeout;

  auto ca_pem = transport.FetchPinnedCa(address, token->ca_fingerprint_sha256,
                                        options.timeout);
  if (!ca_pem.ok()) return ca_pem.status();

  // Saved before it is sent: the server may spend the token on this key
  // even if its answer never arrives.
  auto pending = LoadOrCreatePendingEnrollment(state, token->token_id);
  if (!pending.ok()) return pending.status();

  v1::EnrollRequest request;
  request.set_enrollment_token(options.token);
  request.set_csr_pem(pending->csr_pem);
  *request.mutable_description() = DescribeDevice(probe);
  absl::StatusOr<v1::EnrollResponse> answer;
  for (int attempt = 1;; ++attempt) {
    answer =
        transport.Enroll(address, *ca_pem, request,
                         std::max(deadline - absl::Now(), absl::Seconds(1)));
    if (answer.ok() || !AnswerMayBeLost(answer.status()) ||
        attempt >= options.max_attempts || absl::Now() >= deadline) {
      break;
    }
    LogWarning("enrol: no answer from ", address, " (",
               answer.status().message(), "); sending the same request again");
  }
  if (!answer.ok()) {
    if (AnswerMayBeLost(answer.status())) {
      return absl::Status(
          answer.status().code(),
          absl::StrCat("no enrolment answer from ", address, ": ",
                       answer.status().message(),
                       "; run the same command again: it sends the same key, "
                       "and the token is not spent twice"));
    }
    return absl::Status(answer.status().code(),
                        absl::StrCat("enrolment refused by ", address, ": ",
                                     answer.status().message()));
  }
  const v1::EnrollResponse& response = *answer;
  // The server must hand back the CA we pinned and a certificate for our key.
  auto issued_fp =
      crypto::CertificateFingerprintSha256(response.ca_certificate_pem());
  if (!issued_fp.ok() || *issued_fp != token->ca_fingerprint_sha256) {
    return absl::PermissionDeniedError(
        "the server answered with a CA other than the pinned one");
  }
  auto cert = crypto::ParseCertificate(response.certificate_pem());
  if (!cert.ok()) return cert.status();
  if (cert->public_key_pem != pending->public_key_pem) {
    return absl::PermissionDeniedError(
        "the server issued a certificate for a key that is not ours");
  }

  absl::Status saved = state.SaveIdentity(pending->private_key_pem,
                                          response.certificate_pem(), *ca_pem);
  if (!saved.ok()) return saved;
  // Pinned now, over the channel already pinned to the CA: every policy
  // bundle must verify with this key.
  if (!response.policy_signing_public_key_pem().empty()) {
    saved = state.WriteStateFile(
        state.PolicyKeyPath(), response.policy_signing_public_key_pem(), 0644);
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
  // Enrolled: the key lives in device.key now.
  saved = ClearPendingEnrollment(state);
  if (!saved.ok()) LogWarning("enrol: ", saved.message());
  return response;
}

}  // namespace trellis::agent
