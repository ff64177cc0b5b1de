#include "agent/checkin/checkin_client.h"

#include "absl/strings/str_cat.h"
#include "agent/feedback/employee_notifier.h"
#include "agent/policy/bundle_sync.h"
#include "agent/rpc/channel.h"
#include "agent/vpn/wireguard_identity.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::agent {

absl::StatusOr<v1::PostureReport> CollectForCheckIn(const AgentState& state,
                                                    DeviceProbe& probe) {
  auto record = state.LoadRecord();
  if (!record.ok()) return record.status();
  AgentFacts agent;
  agent.device_id = record->device_id;
  agent.ownership = record->ownership;
  agent.enrolled_at = record->enrolled_at;
  auto held = LoadHeldBundle(state);
  if (held.ok() && *held) agent.policy_bundle_version = (*held)->version();
  return probe.Collect(agent);
}

absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                DeviceProbe& probe,
                                                absl::Duration timeout) {
  CheckInOptions options;
  options.timeout = timeout;
  return CheckInOnce(state, probe, options);
}

absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                DeviceProbe& probe,
                                                const CheckInOptions& options) {
  const absl::Duration timeout = options.timeout;
  auto record = state.LoadRecord();
  if (!record.ok()) return record.status();
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return identity.status();
  auto report = CollectForCheckIn(state, probe);
  if (!report.ok()) return report.status();

  v1::CheckInRequest request;
  request.set_sequence(record->next_sequence);
  *request.mutable_report() = *std::move(report);
  if (options.use_vpn) {
    // A key problem must not cost the posture report: send it without one.
    auto key = LoadOrCreateWireGuardKey(state);
    if (key.ok()) {
      request.set_wireguard_public_key(key->public_key);
    } else {
      LogWarning("vpn: checking in without a WireGuard key: ",
                 key.status().message());
    }
  }

  auto stub = v1::DeviceService::NewStub(
      MakeChannel(record->server_address,
                  ChannelIdentity{identity->ca_pem, identity->cert_pem,
                                  identity->key_pem}));
  v1::CheckInResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status status = stub->CheckIn(&context, request, &response);

  const absl::Time now = probe.clock()->Now();
  record->last_attempt_at = now;
  absl::Status result;
  if (status.ok()) {
    // Continue after whatever the server holds, even if our file was older.
    record->next_sequence =
        std::max(record->next_sequence, response.accepted_sequence()) + 1;
    record->last_checkin_at = now;
    record->last_checkin_result = response.duplicate() ? "ok (retry)" : "ok";
    if (response.has_verdict()) {
      absl::StrAppend(
          &record->last_checkin_result, "; server verdict: ",
          response.verdict().compliant() ? "compliant" : "not compliant");
    }
  } else {
    result = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("check-in with ", record->server_address,
                                       " failed: ", status.error_message()));
    record->last_checkin_result = std::string(result.message());
  }
  const int previous_state = record->compliance_state;
  const int previous_access = record->vpn_access;
  if (status.ok() && response.compliance_state() != 0) {
    record->compliance_state = response.compliance_state();
  }
  if (status.ok() && response.has_vpn()) {
    record->vpn_access = response.vpn().access();
  }
  absl::Status saved = state.SaveRecord(*record);
  if (!result.ok()) return result;
  if (response.compliance_state() != 0 || response.has_vpn()) {
    // The whole response, so `status` shows the verdict and VPN assignment.
    absl::Status kept = WriteFileAtomic(state.LastCheckInPath(),
                                        response.SerializeAsString(), 0600);
    if (!kept.ok()) LogWarning("agent: ", kept.message());
    NotifyCheckInChanges(probe.runner(), previous_state, previous_access,
                         response);
  }
  if (!saved.ok()) return saved;
  // A bundle problem never fails the check-in: the last good bundle stays.
  auto synced =
      SyncBundle(state, *stub, response.policy_bundle_version(), timeout);
  if (!synced.ok()) {
    LogWarning("policy: keeping the held bundle: ", synced.status().message());
  }
  return response;
}

}  // namespace trellis::agent
