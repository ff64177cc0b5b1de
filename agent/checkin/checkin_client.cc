#include "agent/checkin/checkin_client.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "agent/feedback/employee_notifier.h"
#include "agent/policy/bundle_sync.h"
#include "agent/rpc/channel.h"
#include "agent/vpn/wireguard_identity.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::agent {
namespace {

constexpr char kServerAnswerUrl[] = "type.trellis.dev/agent.ServerAnswer";

}  // namespace

absl::Status ServerAnswerError(const grpc::Status& status,
                               absl::string_view what) {
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   absl::StrCat(what, ": ", status.error_message()));
  out.SetPayload(kServerAnswerUrl, absl::Cord("1"));
  return out;
}

bool IsServerAnswer(const absl::Status& status) {
  return status.GetPayload(kServerAnswerUrl).has_value();
}

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

  // The number is spent on disk before it goes out: a number the server may
  // have stored is never sent again (it would be dropped as a duplicate and
  // last-seen would freeze). If it cannot be saved, nothing is sent.
  const uint64_t sequence = record->next_sequence;
  auto after = SequenceAfter(sequence);
  if (!after.ok()) return after.status();
  record->next_sequence = *after;
  record->last_attempt_at = probe.clock()->Now();
  absl::Status claimed = state.SaveRecord(*record);
  if (!claimed.ok()) {
    LogError("agent: check-in ", sequence, " not sent: ", claimed.message());
    return claimed;
  }

  v1::CheckInRequest request;
  request.set_sequence(sequence);
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
  absl::Status result;
  if (status.ok()) {
    // Continue after whatever the server holds, even if our file was older.
    if (response.accepted_sequence() >= record->next_sequence) {
      auto next = SequenceAfter(response.accepted_sequence());
      if (next.ok()) {
        record->next_sequence = *next;
      } else {
        LogError("agent: the server accepted sequence ",
                 response.accepted_sequence(), ": ", next.status().message());
      }
    }
    record->last_checkin_at = now;
    record->last_checkin_result = response.duplicate() ? "ok (retry)" : "ok";
    if (response.has_verdict()) {
      absl::StrAppend(
          &record->last_checkin_result, "; server verdict: ",
          response.verdict().compliant() ? "compliant" : "not compliant");
    }
  } else {
    result = ServerAnswerError(
        status,
        absl::StrCat("check-in with ", record->server_address, " failed"));
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
  // The sequence was saved before sending, so the server's answer stands;
  // only the outcome shown by `status` is missing.
  if (!saved.ok()) LogError("agent: ", saved.message());
  if (response.compliance_state() != 0 || response.has_vpn()) {
    // The whole response, so `status` shows the verdict and VPN assignment.
    absl::Status kept = state.WriteStateFile(
        state.LastCheckInPath(), response.SerializeAsString(), 0600);
    if (!kept.ok()) LogWarning("agent: ", kept.message());
    NotifyCheckInChanges(probe.runner(), previous_state, previous_access,
                         response);
  }
  // A bundle problem never fails the check-in: the last good bundle stays.
  auto synced =
      SyncBundle(state, *stub, response.policy_bundle_version(), timeout);
  if (!synced.ok()) {
    LogWarning("policy: keeping the held bundle: ", synced.status().message());
  }
  return response;
}

}  // namespace trellis::agent
