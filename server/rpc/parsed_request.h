// The RPC services take their requests as raw bytes and parse them here, so
// a request that is not a valid message gets INVALID_ARGUMENT naming the
// message type. (With typed callback methods, gRPC 1.51 answers such a
// request itself with UNIMPLEMENTED and an empty message, before any of our
// code runs: server_callback_handlers.h replaces a failed deserialisation
// with an "unimplemented" reactor.)
#ifndef TRELLIS_SERVER_RPC_PARSED_REQUEST_H_
#define TRELLIS_SERVER_RPC_PARSED_REQUEST_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "server/rpc/status_convert.h"

namespace trellis::server {

// Completes a unary call: with the response, or with the error.
template <typename Response>
using UnaryReply = std::function<void(absl::StatusOr<Response>)>;

// Parses `raw` as a `Message`; InvalidArgument naming the type otherwise.
template <typename Message>
absl::StatusOr<Message> ParseRequest(const grpc::ByteBuffer& raw) {
  grpc::ByteBuffer copy(raw);  // Deserialize consumes its buffer
  Message message;
  if (!grpc::SerializationTraits<Message>::Deserialize(&copy, &message).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request is not a valid ", Message::descriptor()->full_name(),
        " (malformed protobuf encoding, or a string field that is not "
        "UTF-8)"));
  }
  return message;
}

// Serves one unary call: parses the request and hands it to
// `handler(const Request&, UnaryReply<Response>)`, which answers through
// the reply exactly once, now or later from another thread. The request
// lives until then.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* raw_request,
                                     grpc::ByteBuffer* raw_response,
                                     Handler handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto request = ParseRequest<Request>(*raw_request);
  if (!request.ok()) {
    reactor->Finish(ToGrpcStatus(request.status()));
    return reactor;
  }
  auto kept = std::make_shared<Request>(*std::move(request));
  UnaryReply<Response> reply = [reactor, raw_response,
                                kept](absl::StatusOr<Response> result) {
    if (!result.ok()) {
      reactor->Finish(ToGrpcStatus(result.status()));
      return;
    }
    bool own_buffer = false;
    grpc::Status encoded = grpc::SerializationTraits<Response>::Serialize(
        *result, raw_response, &own_buffer);
    reactor->Finish(encoded.ok() ? grpc::Status::OK
                                 : ToGrpcStatus(absl::InternalError(
                                       "cannot encode the response")));
  };
  handler(*kept, std::move(reply));
  return reactor;
}

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_PARSED_REQUEST_H_
