#include "server/rpc/admin_rpc.h"

#include "absl/strings/str_cat.h"
#include "common/util/proto_time.h"
#include "server/audit/audit_admin.h"
#include "server/policy/compliance_summary.h"
#include "server/rpc/parsed_request.h"

namespace trellis::server {
namespace {

std::string Actor(const OperatorRecord& op) {
  return absl::StrCat("operator:", op.name);
}

}  // namespace

absl::StatusOr<OperatorRecord> AdminRpc::Authorize(
    grpc::CallbackServerContext* context, Operation operation) {
  auto op = auth_->AuthenticateOperator(*context->auth_context());
  if (!op.ok()) return op.status();
  absl::Status allowed = CheckOperatorRole(operation, op->role);
  if (!allowed.ok()) return allowed;
  return op;
}

grpc::ServerUnaryReactor* AdminRpc::WhoAmI(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* raw_request,
                                           grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::WhoAmIRequest, v1::WhoAmIResponse>(
      context, raw_request, raw_response,
      [&](const v1::WhoAmIRequest&, UnaryReply<v1::WhoAmIResponse> reply) {
        auto op = Authorize(context, Operation::kWhoAmI);
        if (!op.ok()) return reply(op.status());
        v1::WhoAmIResponse out;
        out.set_operator_name(op->name);
        out.set_role(op->role);
        *out.mutable_certificate_expires_at() =
            ToProtoTime(op->cert_expires_at);
        reply(std::move(out));
      });
}

grpc::ServerUnaryReactor* AdminRpc::CreateEnrollmentToken(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::CreateEnrollmentTokenRequest,
                    v1::CreateEnrollmentTokenResponse>(
      context, raw_request, raw_response,
      [&](const v1::CreateEnrollmentTokenRequest& request,
          UnaryReply<v1::CreateEnrollmentTokenResponse> reply) {
        auto op = Authorize(context, Operation::kCreateEnrollmentToken);
        if (!op.ok()) return reply(op.status());
        tokens_->Create(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::ListEnrollmentTokens(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::ListEnrollmentTokensRequest,
                    v1::ListEnrollmentTokensResponse>(
      context, raw_request, raw_response,
      [&](const v1::ListEnrollmentTokensRequest& request,
          UnaryReply<v1::ListEnrollmentTokensResponse> reply) {
        auto op = Authorize(context, Operation::kListEnrollmentTokens);
        if (!op.ok()) return reply(op.status());
        reply(tokens_->List(request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::RevokeEnrollmentToken(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::RevokeEnrollmentTokenRequest,
                    v1::RevokeEnrollmentTokenResponse>(
      context, raw_request, raw_response,
      [&](const v1::RevokeEnrollmentTokenRequest& request,
          UnaryReply<v1::RevokeEnrollmentTokenResponse> reply) {
        auto op = Authorize(context, Operation::kRevokeEnrollmentToken);
        if (!op.ok()) return reply(op.status());
        tokens_->Revoke(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::ListDevices(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::ListDevicesRequest, v1::ListDevicesResponse>(
      context, raw_request, raw_response,
      [&](const v1::ListDevicesRequest& request,
          UnaryReply<v1::ListDevicesResponse> reply) {
        auto op = Authorize(context, Operation::kListDevices);
        if (!op.ok()) return reply(op.status());
        reply(devices_->List(request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::GetDevice(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::GetDeviceRequest, v1::GetDeviceResponse>(
      context, raw_request, raw_response,
      [&](const v1::GetDeviceRequest& request,
          UnaryReply<v1::GetDeviceResponse> reply) {
        auto op = Authorize(context, Operation::kGetDevice);
        if (!op.ok()) return reply(op.status());
        reply(devices_->Get(request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::RevokeDevice(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::RevokeDeviceRequest, v1::RevokeDeviceResponse>(
      context, raw_request, raw_response,
      [&](const v1::RevokeDeviceRequest& request,
          UnaryReply<v1::RevokeDeviceResponse> reply) {
        auto op = Authorize(context, Operation::kRevokeDevice);
        if (!op.ok()) return reply(op.status());
        devices_->Revoke(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::RetireDevice(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::RetireDeviceRequest, v1::RetireDeviceResponse>(
      context, raw_request, raw_response,
      [&](const v1::RetireDeviceRequest& request,
          UnaryReply<v1::RetireDeviceResponse> reply) {
        auto op = Authorize(context, Operation::kRetireDevice);
        if (!op.ok()) return reply(op.status());
        devices_->Retire(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::ListAuditEvents(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::ListAuditEventsRequest, v1::ListAuditEventsResponse>(
      context, raw_request, raw_response,
      [&](const v1::ListAuditEventsRequest& request,
          UnaryReply<v1::ListAuditEventsResponse> reply) {
        auto op = Authorize(context, Operation::kListAuditEvents);
        if (!op.ok()) return reply(op.status());
        reply(server::ListAuditEvents(*store_, request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::VerifyAuditChain(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::VerifyAuditChainRequest, v1::VerifyAuditChainResponse>(
      context, raw_request, raw_response,
      [&](const v1::VerifyAuditChainRequest&,
          UnaryReply<v1::VerifyAuditChainResponse> reply) {
        auto op = Authorize(context, Operation::kVerifyAuditChain);
        if (!op.ok()) return reply(op.status());
        auto verdict = VerifyAuditLog(*store_, checkpoints_);
        if (!verdict.ok()) return reply(verdict.status());
        v1::VerifyAuditChainResponse out;
        out.set_intact(verdict->intact);
        out.set_entries_checked(verdict->entries_checked);
        out.set_first_bad_sequence(verdict->first_bad_sequence);
        out.set_problem(verdict->problem);
        out.set_truncated(verdict->truncated);
        if (verdict->checkpoint.count > 0) {
          out.set_checkpointed_entries(verdict->checkpoint.count);
          *out.mutable_checkpoint_time() =
              ToProtoTime(verdict->checkpoint.time);
        }
        reply(std::move(out));
      });
}

grpc::ServerUnaryReactor* AdminRpc::ListAuditCheckpoints(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::ListAuditCheckpointsRequest,
                    v1::ListAuditCheckpointsResponse>(
      context, raw_request, raw_response,
      [&](const v1::ListAuditCheckpointsRequest&,
          UnaryReply<v1::ListAuditCheckpointsResponse> reply) {
        auto op = Authorize(context, Operation::kListAuditCheckpoints);
        if (!op.ok()) return reply(op.status());
        reply(server::ListAuditCheckpoints(*checkpoints_));
      });
}

grpc::ServerUnaryReactor* AdminRpc::PublishPolicies(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::PublishPoliciesRequest, v1::PublishPoliciesResponse>(
      context, raw_request, raw_response,
      [&](const v1::PublishPoliciesRequest& request,
          UnaryReply<v1::PublishPoliciesResponse> reply) {
        auto op =
            Authorize(context, request.dry_run() ? Operation::kPlanPolicies
                                                 : Operation::kPublishPolicies);
        if (!op.ok()) return reply(op.status());
        policies_->Publish(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::GetPolicyBundle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::GetPolicyBundleRequest, v1::GetPolicyBundleResponse>(
      context, raw_request, raw_response,
      [&](const v1::GetPolicyBundleRequest&,
          UnaryReply<v1::GetPolicyBundleResponse> reply) {
        auto op = Authorize(context, Operation::kGetPolicyBundle);
        if (!op.ok()) return reply(op.status());
        auto published = policies_->current();
        if (!published) {
          return reply(
              absl::NotFoundError("no policy bundle has been published"));
        }
        v1::GetPolicyBundleResponse out;
        *out.mutable_bundle() = published->bundle;
        out.set_signing_key_id(published->signed_bundle.key_id());
        reply(std::move(out));
      });
}

grpc::ServerUnaryReactor* AdminRpc::GetComplianceSummary(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::GetComplianceSummaryRequest,
                    v1::GetComplianceSummaryResponse>(
      context, raw_request, raw_response,
      [&](const v1::GetComplianceSummaryRequest&,
          UnaryReply<v1::GetComplianceSummaryResponse> reply) {
        auto op = Authorize(context, Operation::kGetComplianceSummary);
        if (!op.ok()) return reply(op.status());
        reply(ComputeComplianceSummary(*store_, policies_->current_version()));
      });
}

grpc::ServerUnaryReactor* AdminRpc::GetDeviceHistory(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::GetDeviceHistoryRequest, v1::GetDeviceHistoryResponse>(
      context, raw_request, raw_response,
      [&](const v1::GetDeviceHistoryRequest& request,
          UnaryReply<v1::GetDeviceHistoryResponse> reply) {
        auto op = Authorize(context, Operation::kGetDeviceHistory);
        if (!op.ok()) return reply(op.status());
        reply(devices_->History(request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::AddException(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::AddExceptionRequest, v1::AddExceptionResponse>(
      context, raw_request, raw_response,
      [&](const v1::AddExceptionRequest& request,
          UnaryReply<v1::AddExceptionResponse> reply) {
        auto op = Authorize(context, Operation::kAddException);
        if (!op.ok()) return reply(op.status());
        exceptions_->Add(Actor(*op), request, std::move(reply));
      });
}

grpc::ServerUnaryReactor* AdminRpc::ListExceptions(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::ListExceptionsRequest, v1::ListExceptionsResponse>(
      context, raw_request, raw_response,
      [&](const v1::ListExceptionsRequest& request,
          UnaryReply<v1::ListExceptionsResponse> reply) {
        auto op = Authorize(context, Operation::kListExceptions);
        if (!op.ok()) return reply(op.status());
        reply(exceptions_->List(request));
      });
}

grpc::ServerUnaryReactor* AdminRpc::RemoveException(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return ServeUnary<v1::RemoveExceptionRequest, v1::RemoveExceptionResponse>(
      context, raw_request, raw_response,
      [&](const v1::RemoveExceptionRequest& request,
          UnaryReply<v1::RemoveExceptionResponse> reply) {
        auto op = Authorize(context, Operation::kRemoveException);
        if (!op.ok()) return reply(op.status());
        exceptions_->Remove(Actor(*op), request, std::move(reply));
      });
}

}  // namespace trellis::server
