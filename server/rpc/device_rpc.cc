#include "server/rpc/device_rpc.h"

#include "server/auth/peer_certificate.h"
#include "server/rpc/parsed_request.h"

namespace trellis::server {

grpc::ServerUnaryReactor* DeviceRpc::Enroll(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::EnrollRequest, v1::EnrollResponse>(
      context, request, response,
      [&](const v1::EnrollRequest& parsed,
          UnaryReply<v1::EnrollResponse> reply) {
        enroller_->Enroll(parsed, PeerHost(context->peer()), std::move(reply));
      });
}

grpc::ServerUnaryReactor* DeviceRpc::Renew(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) {
  return ServeUnary<v1::RenewRequest, v1::RenewResponse>(
      context, request, response,
      [&](const v1::RenewRequest& parsed, UnaryReply<v1::RenewResponse> reply) {
        auto caller = auth_->AuthenticateDevice(*context->auth_context());
        if (!caller.ok()) return reply(caller.status());
        renewer_->Renew(*caller, parsed, std::move(reply));
      });
}

grpc::ServerUnaryReactor* DeviceRpc::CheckIn(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::CheckInRequest, v1::CheckInResponse>(
      context, request, response,
      [&](const v1::CheckInRequest& parsed,
          UnaryReply<v1::CheckInResponse> reply) {
        auto caller = auth_->AuthenticateDevice(*context->auth_context());
        if (!caller.ok()) return reply(caller.status());
        checkin_->CheckIn(*caller, parsed, std::move(reply));
      });
}

grpc::ServerUnaryReactor* DeviceRpc::FetchPolicyBundle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::FetchPolicyBundleRequest,
                    v1::FetchPolicyBundleResponse>(
      context, request, response,
      [&](const v1::FetchPolicyBundleRequest&,
          UnaryReply<v1::FetchPolicyBundleResponse> reply) {
        auto caller = auth_->AuthenticateDevice(*context->auth_context());
        if (!caller.ok()) return reply(caller.status());
        auto published = policies_->current();
        if (!published) {
          return reply(
              absl::NotFoundError("no policy bundle has been published"));
        }
        v1::FetchPolicyBundleResponse out;
        *out.mutable_bundle() = published->signed_bundle;
        reply(std::move(out));
      });
}

}  // namespace trellis::server
