#include "server/rpc/admin_rpc.h"

#include "absl/strings/str_cat.h"
#include "common/util/proto_time.h"
#include "server/audit/audit_admin.h"
#include "server/policy/compliance_summary.h"
#include "server/rpc/unary_reply.h"

namespace trellis::server {
namespace {

std::string Actor(const OperatorRecord& op) {
  return absl::StrCat("operator:", op.name);
}

}  // namespace

absl::StatusOr<OperatorRecord> AdminRpc::Authorize(
    grpc::CallbackServerContext* context, Permission permission) {
  auto op = auth_->AuthenticateOperator(*context->auth_context());
  if (!op.ok()) return op.status();
  absl::Status allowed = CheckPermission(op->role, permission);
  if (!allowed.ok()) return allowed;
  return op;
}

grpc::ServerUnaryReactor* AdminRpc::WhoAmI(grpc::CallbackServerContext* context,
                                           const v1::WhoAmIRequest* request,
                                           v1::WhoAmIResponse* response) {
  auto op = Authorize(context, Permission::kIdentify);
  if (!op.ok()) return FinishWithError(context, op.status());
  v1::WhoAmIResponse out;
  out.set_operator_name(op->name);
  out.set_role(op->role);
  *out.mutable_certificate_expires_at() = ToProtoTime(op->cert_expires_at);
  return FinishNow(context, response, absl::StatusOr<v1::WhoAmIResponse>(out));
}

grpc::ServerUnaryReactor* AdminRpc::CreateEnrollmentToken(
    grpc::CallbackServerContext* context,
    const v1::CreateEnrollmentTokenRequest* request,
    v1::CreateEnrollmentTokenResponse* response) {
  auto op = Authorize(context, Permission::kManageTokens);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  tokens_->Create(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::ListEnrollmentTokens(
    grpc::CallbackServerContext* context,
    const v1::ListEnrollmentTokensRequest* request,
    v1::ListEnrollmentTokensResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response, tokens_->List(*request));
}

grpc::ServerUnaryReactor* AdminRpc::RevokeEnrollmentToken(
    grpc::CallbackServerContext* context,
    const v1::RevokeEnrollmentTokenRequest* request,
    v1::RevokeEnrollmentTokenResponse* response) {
  auto op = Authorize(context, Permission::kManageTokens);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  tokens_->Revoke(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::ListDevices(
    grpc::CallbackServerContext* context, const v1::ListDevicesRequest* request,
    v1::ListDevicesResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response, devices_->List(*request));
}

grpc::ServerUnaryReactor* AdminRpc::GetDevice(
    grpc::CallbackServerContext* context, const v1::GetDeviceRequest* request,
    v1::GetDeviceResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response, devices_->Get(*request));
}

grpc::ServerUnaryReactor* AdminRpc::RevokeDevice(
    grpc::CallbackServerContext* context,
    const v1::RevokeDeviceRequest* request,
    v1::RevokeDeviceResponse* response) {
  auto op = Authorize(context, Permission::kManageDevices);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  devices_->Revoke(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::RetireDevice(
    grpc::CallbackServerContext* context,
    const v1::RetireDeviceRequest* request,
    v1::RetireDeviceResponse* response) {
  auto op = Authorize(context, Permission::kManageDevices);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  devices_->Retire(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::ListAuditEvents(
    grpc::CallbackServerContext* context,
    const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response,
                   server::ListAuditEvents(*store_, *request));
}

grpc::ServerUnaryReactor* AdminRpc::VerifyAuditChain(
    grpc::CallbackServerContext* context,
    const v1::VerifyAuditChainRequest* request,
    v1::VerifyAuditChainResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  auto verdict = VerifyAuditLog(*store_, checkpoints_);
  if (!verdict.ok()) return FinishWithError(context, verdict.status());
  v1::VerifyAuditChainResponse out;
  out.set_intact(verdict->intact);
  out.set_entries_checked(verdict->entries_checked);
  out.set_first_bad_sequence(verdict->first_bad_sequence);
  out.set_problem(verdict->problem);
  out.set_truncated(verdict->truncated);
  if (verdict->checkpoint.count > 0) {
    out.set_checkpointed_entries(verdict->checkpoint.count);
    *out.mutable_checkpoint_time() = ToProtoTime(verdict->checkpoint.time);
  }
  return FinishNow(context, response,
                   absl::StatusOr<v1::VerifyAuditChainResponse>(out));
}

grpc::ServerUnaryReactor* AdminRpc::ListAuditCheckpoints(
    grpc::CallbackServerContext* context,
    const v1::ListAuditCheckpointsRequest* request,
    v1::ListAuditCheckpointsResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response,
                   server::ListAuditCheckpoints(*checkpoints_));
}

grpc::ServerUnaryReactor* AdminRpc::PublishPolicies(
    grpc::CallbackServerContext* context,
    const v1::PublishPoliciesRequest* request,
    v1::PublishPoliciesResponse* response) {
  auto op =
      Authorize(context, request->dry_run() ? Permission::kRead
                                            : Permission::kManagePolicies);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  policies_->Publish(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::GetPolicyBundle(
    grpc::CallbackServerContext* context,
    const v1::GetPolicyBundleRequest* request,
    v1::GetPolicyBundleResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  auto published = policies_->current();
  if (!published) {
    return FinishWithError(
        context, absl::NotFoundError("no policy bundle has been published"));
  }
  v1::GetPolicyBundleResponse out;
  *out.mutable_bundle() = published->bundle;
  out.set_signing_key_id(published->signed_bundle.key_id());
  return FinishNow(context, response,
                   absl::StatusOr<v1::GetPolicyBundleResponse>(std::move(out)));
}

grpc::ServerUnaryReactor* AdminRpc::GetComplianceSummary(
    grpc::CallbackServerContext* context,
    const v1::GetComplianceSummaryRequest* request,
    v1::GetComplianceSummaryResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(
      context, response,
      ComputeComplianceSummary(*store_, policies_->current_version()));
}

grpc::ServerUnaryReactor* AdminRpc::GetDeviceHistory(
    grpc::CallbackServerContext* context,
    const v1::GetDeviceHistoryRequest* request,
    v1::GetDeviceHistoryResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response, devices_->History(*request));
}

grpc::ServerUnaryReactor* AdminRpc::AddException(
    grpc::CallbackServerContext* context,
    const v1::AddExceptionRequest* request,
    v1::AddExceptionResponse* response) {
  auto op = Authorize(context, Permission::kManageDevices);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  exceptions_->Add(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* AdminRpc::ListExceptions(
    grpc::CallbackServerContext* context,
    const v1::ListExceptionsRequest* request,
    v1::ListExceptionsResponse* response) {
  auto op = Authorize(context, Permission::kRead);
  if (!op.ok()) return FinishWithError(context, op.status());
  return FinishNow(context, response, exceptions_->List(*request));
}

grpc::ServerUnaryReactor* AdminRpc::RemoveException(
    grpc::CallbackServerContext* context,
    const v1::RemoveExceptionRequest* request,
    v1::RemoveExceptionResponse* response) {
  auto op = Authorize(context, Permission::kManageDevices);
  if (!op.ok()) return FinishWithError(context, op.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  exceptions_->Remove(Actor(*op), *request, FinishLater(reactor, response));
  return reactor;
}

}  // namespace trellis::server
