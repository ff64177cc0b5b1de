// gRPC edge of the admin service: authenticate the operator, check the
// role for the RPC, delegate, convert status.
#ifndef TRELLIS_SERVER_RPC_ADMIN_RPC_H_
#define TRELLIS_SERVER_RPC_ADMIN_RPC_H_

#include "server/audit/audit_admin.h"
#include "server/auth/authenticator.h"
#include "server/compliance/exception_admin.h"
#include "server/devices/device_admin.h"
#include "server/enrollment/token_admin.h"
#include "server/policy/policy_registry.h"
#include "trellis/v1/admin_service.grpc.pb.h"

namespace trellis::server {

class AdminRpc final : public v1::AdminService::CallbackService {
 public:
  AdminRpc(Store* store, Authenticator* auth, TokenAdmin* tokens,
           DeviceAdmin* devices, PolicyRegistry* policies,
           ExceptionAdmin* exceptions, const AuditCheckpoints* checkpoints)
      : store_(store),
        auth_(auth),
        tokens_(tokens),
        devices_(devices),
        policies_(policies),
        exceptions_(exceptions),
        checkpoints_(checkpoints) {}

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* CreateEnrollmentToken(
      grpc::CallbackServerContext* context,
      const v1::CreateEnrollmentTokenRequest* request,
      v1::CreateEnrollmentTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListEnrollmentTokens(
      grpc::CallbackServerContext* context,
      const v1::ListEnrollmentTokensRequest* request,
      v1::ListEnrollmentTokensResponse* response) override;
  grpc::ServerUnaryReactor* RevokeEnrollmentToken(
      grpc::CallbackServerContext* context,
      const v1::RevokeEnrollmentTokenRequest* request,
      v1::RevokeEnrollmentTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListDevices(
      grpc::CallbackServerContext* context,
      const v1::ListDevicesRequest* request,
      v1::ListDevicesResponse* response) override;
  grpc::ServerUnaryReactor* GetDevice(grpc::CallbackServerContext* context,
                                      const v1::GetDeviceRequest* request,
                                      v1::GetDeviceResponse* response) override;
  grpc::ServerUnaryReactor* RevokeDevice(
      grpc::CallbackServerContext* context,
      const v1::RevokeDeviceRequest* request,
      v1::RevokeDeviceResponse* response) override;
  grpc::ServerUnaryReactor* RetireDevice(
      grpc::CallbackServerContext* context,
      const v1::RetireDeviceRequest* request,
      v1::RetireDeviceResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(
      grpc::CallbackServerContext* context,
      const v1::ListAuditEventsRequest* request,
      v1::ListAuditEventsResponse* response) override;
  grpc::ServerUnaryReactor* VerifyAuditChain(
      grpc::CallbackServerContext* context,
      const v1::VerifyAuditChainRequest* request,
      v1::VerifyAuditChainResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditCheckpoints(
      grpc::CallbackServerContext* context,
      const v1::ListAuditCheckpointsRequest* request,
      v1::ListAuditCheckpointsResponse* response) override;
  grpc::ServerUnaryReactor* PublishPolicies(
      grpc::CallbackServerContext* context,
      const v1::PublishPoliciesRequest* request,
      v1::PublishPoliciesResponse* response) override;
  grpc::ServerUnaryReactor* GetPolicyBundle(
      grpc::CallbackServerContext* context,
      const v1::GetPolicyBundleRequest* request,
      v1::GetPolicyBundleResponse* response) override;
  grpc::ServerUnaryReactor* GetComplianceSummary(
      grpc::CallbackServerContext* context,
      const v1::GetComplianceSummaryRequest* request,
      v1::GetComplianceSummaryResponse* response) override;
  grpc::ServerUnaryReactor* GetDeviceHistory(
      grpc::CallbackServerContext* context,
      const v1::GetDeviceHistoryRequest* request,
      v1::GetDeviceHistoryResponse* response) override;
  grpc::ServerUnaryReactor* AddException(
      grpc::CallbackServerContext* context,
      const v1::AddExceptionRequest* request,
      v1::AddExceptionResponse* response) override;
  grpc::ServerUnaryReactor* ListExceptions(
      grpc::CallbackServerContext* context,
      const v1::ListExceptionsRequest* request,
      v1::ListExceptionsResponse* response) override;
  grpc::ServerUnaryReactor* RemoveException(
      grpc::CallbackServerContext* context,
      const v1::RemoveExceptionRequest* request,
      v1::RemoveExceptionResponse* response) override;

 private:
  // The operator, if it may do `permission`.
  absl::StatusOr<OperatorRecord> Authorize(grpc::CallbackServerContext* context,
                                           Permission permission);

  Store* store_;
  Authenticator* auth_;
  TokenAdmin* tokens_;
  DeviceAdmin* devices_;
  PolicyRegistry* policies_;
  ExceptionAdmin* exceptions_;
  const AuditCheckpoints* checkpoints_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_ADMIN_RPC_H_
