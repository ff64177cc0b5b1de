// The one place absl::Status becomes grpc::Status.
#ifndef TRELLIS_SERVER_RPC_STATUS_CONVERT_H_
#define TRELLIS_SERVER_RPC_STATUS_CONVERT_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace trellis::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_STATUS_CONVERT_H_
