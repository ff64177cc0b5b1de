#include "server/rpc/status_convert.h"

#include "common/util/logging.h"

namespace trellis::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // Internal details stay in the server log; callers get a generic message.
  if (absl::IsInternal(status) || absl::IsDataLoss(status) ||
      absl::IsUnknown(status)) {
    LogError("rpc: internal error: ", status.message());
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "internal server error; see the server log");
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace trellis::server
