// gRPC edge of the device service: parse, authenticate, delegate, convert
// status. Requests arrive as raw bytes (see parsed_request.h) so that an
// unparseable one is answered INVALID_ARGUMENT.
#ifndef TRELLIS_SERVER_RPC_DEVICE_RPC_H_
#define TRELLIS_SERVER_RPC_DEVICE_RPC_H_

#include "server/auth/authenticator.h"
#include "server/checkin/checkin_handler.h"
#include "server/enrollment/enroller.h"
#include "server/enrollment/renewer.h"
#include "trellis/v1/device_service.grpc.pb.h"

namespace trellis::server {

using RawDeviceService = v1::DeviceService::WithRawCallbackMethod_Enroll<
    v1::DeviceService::WithRawCallbackMethod_Renew<
        v1::DeviceService::WithRawCallbackMethod_CheckIn<
            v1::DeviceService::WithRawCallbackMethod_FetchPolicyBundle<
                v1::DeviceService::Service>>>>;

class DeviceRpc final : public RawDeviceService {
 public:
  DeviceRpc(Authenticator* auth, Enroller* enroller, Renewer* renewer,
            CheckInHandler* checkin, PolicyRegistry* policies)
      : auth_(auth),
        enroller_(enroller),
        renewer_(renewer),
        checkin_(checkin),
        policies_(policies) {}

  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Renew(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* FetchPolicyBundle(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  Authenticator* auth_;
  Enroller* enroller_;
  Renewer* renewer_;
  CheckInHandler* checkin_;
  PolicyRegistry* policies_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_DEVICE_RPC_H_
