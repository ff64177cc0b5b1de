// Streams the gateway allow-list to every connected gateway: a snapshot,
// then the change log from the store, then heartbeats. One thread serves
// every subscriber: it wakes when a commit changed peers (a store commit
// listener calls Notify), when a write to a gateway completes, and every
// heartbeat period. The same thread re-checks each stream's caller every
// recheck period and ends the stream once the caller
// is no longer allowed (credential replaced, removed, expired, role changed):
// credentials are changed by `trellis-server operator create` in another
// process, so no commit in this one announces it.
#ifndef TRELLIS_SERVER_VPN_PEER_FEED_H_
#define TRELLIS_SERVER_VPN_PEER_FEED_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/store.h"
#include "trellis/v1/gateway_service.pb.h"

namespace trellis::server {

// Where one gateway stream stands and what it sends next. The gRPC reactor
// owns the network side; the feed decides the content.
class PeerSubscriber {
 public:
  virtual ~PeerSubscriber() = default;
  // Starts sending `update`; returns false if the stream is gone.
  virtual bool Send(const v1::PeerUpdate& update) = 0;
  // Ends the stream with `status` (server shutting down, store error).
  virtual void End(const absl::Status& status) = 0;
};

class PeerFeed {
 public:
  // Peers per SNAPSHOT message and per DELTA message.
  static constexpr int kChunk = 500;

  PeerFeed(Store* store, absl::Duration heartbeat,
           absl::Duration recheck_period = absl::Seconds(5));
  ~PeerFeed();

  void Start();
  // Ends every stream (UNAVAILABLE) and stops the thread.
  void Stop();

  // Something committed; serve subscribers whose view is behind.
  void Notify();

  // An operator's credential or role changed in this process: re-check
  // every stream's caller now instead of at its next recheck period.
  void RecheckCallersNow();

  // Is the stream's caller still allowed? Non-OK ends the stream with that
  // status. Called from the feed's thread.
  using Recheck = std::function<absl::Status()>;

  // Registers a stream resuming from (feed_id, after_serial). The returned
  // handle is what the reactor reports back with. `recheck` (may be empty)
  // runs every recheck period.
  struct Handle;
  std::shared_ptr<Handle> Subscribe(PeerSubscriber* subscriber,
                                    const std::string& feed_id,
                                    uint64_t after_serial,
                                    Recheck recheck = nullptr);
  // The previous Send() finished (ok: delivered to the transport).
  void SendDone(const std::shared_ptr<Handle>& handle, bool ok);
  // The stream ended; the subscriber pointer is not used after this.
  void Unsubscribe(const std::shared_ptr<Handle>& handle);

 private:
  void Run();
  // Sends the next message to `h` if it is idle and has something to send.
  void Serve(Handle& h, const PeerFeedBounds& bounds, absl::Time now);
  // Ends `h` if its recheck is due and fails.
  void RecheckCaller(Handle& h, absl::Time now);

  Store* store_;
  absl::Duration heartbeat_;
  absl::Duration recheck_period_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::shared_ptr<Handle>> handles_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_VPN_PEER_FEED_H_
