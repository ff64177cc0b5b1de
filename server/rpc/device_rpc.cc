#include "server/rpc/device_rpc.h"

#include "server/auth/peer_certificate.h"
#include "server/rpc/unary_reply.h"

namespace trellis::server {

grpc::ServerUnaryReactor* DeviceRpc::Enroll(
    grpc::CallbackServerContext* context, const v1::EnrollRequest* request,
    v1::EnrollResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  enroller_->Enroll(*request, PeerHost(context->peer()),
                    FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* DeviceRpc::Renew(grpc::CallbackServerContext* context,
                                           const v1::RenewRequest* request,
                                           v1::RenewResponse* response) {
  auto caller = auth_->AuthenticateDevice(*context->auth_context());
  if (!caller.ok()) return FinishWithError(context, caller.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  renewer_->Renew(*caller, *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* DeviceRpc::CheckIn(
    grpc::CallbackServerContext* context, const v1::CheckInRequest* request,
    v1::CheckInResponse* response) {
  auto caller = auth_->AuthenticateDevice(*context->auth_context());
  if (!caller.ok()) return FinishWithError(context, caller.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  checkin_->CheckIn(*caller, *request, FinishLater(reactor, response));
  return reactor;
}

grpc::ServerUnaryReactor* DeviceRpc::FetchPolicyBundle(
    grpc::CallbackServerContext* context,
    const v1::FetchPolicyBundleRequest* request,
    v1::FetchPolicyBundleResponse* response) {
  auto caller = auth_->AuthenticateDevice(*context->auth_context());
  if (!caller.ok()) return FinishWithError(context, caller.status());
  auto published = policies_->current();
  if (!published) {
    return FinishWithError(
        context, absl::NotFoundError("no policy bundle has been published"));
  }
  v1::FetchPolicyBundleResponse out;
  *out.mutable_bundle() = published->signed_bundle;
  return FinishNow(context, response,
                   absl::StatusOr<v1::FetchPolicyBundleResponse>(std::move(out)));
}

}  // namespace trellis::server
