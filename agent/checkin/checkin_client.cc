#include "agent/checkin/checkin_client.h"

#include "absl/strings/str_cat.h"
#include "agent/facts/linux/basic_facts.h"
#include "agent/rpc/channel.h"
#include "common/util/proto_time.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::agent {

absl::StatusOr<v1::CheckInResponse> CheckInOnce(const AgentState& state,
                                                SystemSource& system,
                                                const Clock& clock,
                                                absl::Duration timeout) {
  auto record = state.LoadRecord();
  if (!record.ok()) return record.status();
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return identity.status();

  v1::CheckInRequest request;
  request.set_sequence(record->next_sequence);
  *request.mutable_report() = CollectBasicReport(system);
  *request.mutable_report()->mutable_collected_at() = ToProtoTime(clock.Now());

  auto stub = v1::DeviceService::NewStub(
      MakeChannel(record->server_address,
                  ChannelIdentity{identity->ca_pem, identity->cert_pem,
                                  identity->key_pem}));
  v1::CheckInResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status status = stub->CheckIn(&context, request, &response);

  record->last_attempt_at = clock.Now();
  absl::Status result;
  if (status.ok()) {
    // Continue after whatever the server holds, even if our file was older.
    record->next_sequence =
        std::max(record->next_sequence, response.accepted_sequence()) + 1;
    record->last_checkin_at = clock.Now();
    record->last_checkin_result = response.duplicate() ? "ok (retry)" : "ok";
  } else {
    result = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("check-in with ", record->server_address,
                                       " failed: ", status.error_message()));
    record->last_checkin_result = std::string(result.message());
  }
  absl::Status saved = state.SaveRecord(*record);
  if (!result.ok()) return result;
  if (!saved.ok()) return saved;
  return response;
}

}  // namespace trellis::agent
