// gRPC edge of the device service: authenticate, delegate, convert status.
#ifndef TRELLIS_SERVER_RPC_DEVICE_RPC_H_
#define TRELLIS_SERVER_RPC_DEVICE_RPC_H_

#include "server/auth/authenticator.h"
#include "server/checkin/checkin_handler.h"
#include "server/enrollment/enroller.h"
#include "server/enrollment/renewer.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::server {

class DeviceRpc final : public v1::DeviceService::CallbackService {
 public:
  DeviceRpc(Authenticator* auth, Enroller* enroller, Renewer* renewer,
            CheckInHandler* checkin, PolicyRegistry* policies)
      : auth_(auth),
        enroller_(enroller),
        renewer_(renewer),
        checkin_(checkin),
        policies_(policies) {}

  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* context,
                                   const v1::EnrollRequest* request,
                                   v1::EnrollResponse* response) override;
  grpc::ServerUnaryReactor* Renew(grpc::CallbackServerContext* context,
                                  const v1::RenewRequest* request,
                                  v1::RenewResponse* response) override;
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context,
                                    const v1::CheckInRequest* request,
                                    v1::CheckInResponse* response) override;
  grpc::ServerUnaryReactor* FetchPolicyBundle(
      grpc::CallbackServerContext* context,
      const v1::FetchPolicyBundleRequest* request,
      v1::FetchPolicyBundleResponse* response) override;

 private:
  Authenticator* auth_;
  Enroller* enroller_;
  Renewer* renewer_;
  CheckInHandler* checkin_;
  PolicyRegistry* policies_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_DEVICE_RPC_H_
