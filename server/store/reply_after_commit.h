// Bridges a store write to an async caller: once the write has committed,
// `done` gets the response the write function filled in, or the error.
#ifndef TRELLIS_SERVER_STORE_REPLY_AFTER_COMMIT_H_
#define TRELLIS_SERVER_STORE_REPLY_AFTER_COMMIT_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace trellis::server {

template <typename Response>
Store::DoneFn ReplyAfterCommit(
    std::shared_ptr<Response> response,
    std::function<void(absl::StatusOr<Response>)> done) {
  return
      [response = std::move(response), done = std::move(done)](absl::Status s) {
        if (s.ok()) {
          done(std::move(*response));
        } else {
          done(std::move(s));
        }
      };
}

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_REPLY_AFTER_COMMIT_H_
