#include "server/rpc/gateway_rpc.h"

#include "absl/strings/str_cat.h"
#include "common/util/logging.h"
#include "server/rpc/parsed_request.h"
#include "server/rpc/status_convert.h"

namespace trellis::server {
namespace {

// One gateway's stream. Writes one message at a time; the feed decides
// what the next one is once the previous write completes.
class WatchPeersReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                          public PeerSubscriber {
 public:
  WatchPeersReactor(PeerFeed* feed, std::string who,
                    const v1::WatchPeersRequest& request,
                    PeerFeed::Recheck recheck)
      : feed_(feed), who_(std::move(who)) {
    LogInfo("gateway feed: ", who_, " connected (resume from ",
            request.feed_id().empty()
                ? std::string("nothing")
                : absl::StrCat(request.feed_id(), "/", request.after_serial()),
            ")");
    handle_ = feed_->Subscribe(this, request.feed_id(), request.after_serial(),
                               std::move(recheck));
  }

  bool Send(const v1::PeerUpdate& update) override {
    absl::MutexLock lock(&mu_);
    if (finishing_) return false;
    message_.Clear();
    bool own_buffer = false;
    if (!grpc::SerializationTraits<v1::PeerUpdate>::Serialize(update, &message_,
                                                              &own_buffer)
             .ok()) {
      FinishLocked(
          ToGrpcStatus(absl::InternalError("cannot encode a peer update")));
      return false;
    }
    writing_ = true;
    StartWrite(&message_);
    return true;
  }

  void End(const absl::Status& status) override {
    LogInfo("gateway feed: ending the stream of ", who_, ": ",
            status.message());
    absl::MutexLock lock(&mu_);
    FinishLocked(ToGrpcStatus(status));
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "gone"));
      if (finishing_ && !finished_) {
        finished_ = true;
        Finish(final_status_);
      }
    }
    feed_->SendDone(handle_, ok);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    feed_->Unsubscribe(handle_);
    LogInfo("gateway feed: ", who_, " disconnected");
    delete this;
  }

 private:
  // Finish() must wait for an outstanding write.
  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_) return;
    finishing_ = true;
    final_status_ = status;
    if (!writing_) {
      finished_ = true;
      Finish(status);
    }
  }

  PeerFeed* feed_;
  std::string who_;
  std::shared_ptr<PeerFeed::Handle> handle_;
  absl::Mutex mu_;
  grpc::ByteBuffer message_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status final_status_ ABSL_GUARDED_BY(mu_);
};

class RefusedReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit RefusedReactor(const absl::Status& status) {
    Finish(ToGrpcStatus(status));
  }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* GatewayRpc::WatchPeers(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  auto request = ParseRequest<v1::WatchPeersRequest>(*raw_request);
  if (!request.ok()) return new RefusedReactor(request.status());
  auto op = auth_->AuthenticateOperator(*context->auth_context());
  absl::Status allowed =
      op.ok() ? CheckOperatorRole(Operation::kWatchPeers, op->role)
              : op.status();
  if (!allowed.ok()) return new RefusedReactor(allowed);
  if (request->feed_id().size() > 64) {
    return new RefusedReactor(
        absl::InvalidArgumentError("feed_id is longer than 64 bytes"));
  }
  if (request->feed_id().empty() && request->after_serial() != 0) {
    return new RefusedReactor(absl::InvalidArgumentError(
        "after_serial needs the feed_id it belongs to"));
  }
  // Certificates are checked when the connection is made, but a stream
  // lasts for as long as the gateway runs: the feed asks again on a timer.
  PeerFeed::Recheck recheck = [auth = auth_, clock = clock_, seen = *op] {
    return auth->RecheckOperator(seen, Operation::kWatchPeers, clock->Now());
  };
  return new WatchPeersReactor(feed_, absl::StrCat("operator:", op->name),
                               *request, std::move(recheck));
}

}  // namespace trellis::server
