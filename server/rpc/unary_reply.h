// Helpers that finish a callback-API unary call from a StatusOr, either at
// once or later from another thread (the store's writer).
#ifndef TRELLIS_SERVER_RPC_UNARY_REPLY_H_
#define TRELLIS_SERVER_RPC_UNARY_REPLY_H_

#include <functional>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "server/rpc/status_convert.h"

namespace trellis::server {

// Returns a completion that copies the result into `out` and finishes.
template <typename Response>
std::function<void(absl::StatusOr<Response>)> FinishLater(
    grpc::ServerUnaryReactor* reactor, Response* out) {
  return [reactor, out](absl::StatusOr<Response> result) {
    if (result.ok()) *out = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
}

template <typename Response>
grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    Response* out,
                                    absl::StatusOr<Response> result) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  FinishLater(reactor, out)(std::move(result));
  return reactor;
}

inline grpc::ServerUnaryReactor* FinishWithError(
    grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_UNARY_REPLY_H_
