// gRPC edge of the admin service: parse the request, authenticate the
// operator, check the role for the RPC, delegate, convert status.
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

// Every method raw, so requests are parsed by parsed_request.h.
using RawAdminService = v1::AdminService::WithRawCallbackMethod_WhoAmI<v1::AdminService::WithRawCallbackMethod_CreateEnrollmentToken<
    v1::AdminService::WithRawCallbackMethod_ListEnrollmentTokens<v1::AdminService::WithRawCallbackMethod_RevokeEnrollmentToken<
        v1::AdminService::WithRawCallbackMethod_ListDevices<v1::AdminService::WithRawCallbackMethod_GetDevice<
            v1::AdminService::WithRawCallbackMethod_RevokeDevice<v1::AdminService::WithRawCallbackMethod_RetireDevice<
                v1::AdminService::WithRawCallbackMethod_ListAuditEvents<
                    v1::AdminService::WithRawCallbackMethod_VerifyAuditChain<
                        v1::AdminService::WithRawCallbackMethod_ListAuditCheckpoints<
                            v1::AdminService::WithRawCallbackMethod_PublishPolicies<
                                v1::AdminService::WithRawCallbackMethod_GetPolicyBundle<
                                    v1::AdminService::WithRawCallbackMethod_GetComplianceSummary<
                                        v1::AdminService::WithRawCallbackMethod_GetDeviceHistory<
                                            v1::AdminService::WithRawCallbackMethod_AddException<
                                                v1::AdminService::WithRawCallbackMethod_ListExceptions<
                                                    v1::AdminService::WithRawCallbackMethod_RemoveException<
                                                        v1::AdminService::
                                                            Service>>>>>>>>>>>>>>>>>>;

class AdminRpc final : public RawAdminService {
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
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CreateEnrollmentToken(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListEnrollmentTokens(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RevokeEnrollmentToken(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListDevices(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDevice(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RevokeDevice(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RetireDevice(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* VerifyAuditChain(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListAuditCheckpoints(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PublishPolicies(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetPolicyBundle(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetComplianceSummary(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDeviceHistory(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* AddException(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListExceptions(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RemoveException(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  // The operator, if it may do `permission`.
  absl::StatusOr<OperatorRecord> Authorize(grpc::CallbackServerContext* context,
                                           Operation operation);

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
