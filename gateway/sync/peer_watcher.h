// Keeps a WatchPeers stream open to the server for as long as the gateway
// runs and hands every message to a PeerApplier the moment it arrives.
//
// After any break (server restart, network, a stream silent for longer than
// the heartbeat allows) it reconnects with a capped backoff and resumes from
// the last applied serial, so nothing is lost or repeated. When the applier
// refuses a message it has forgotten the stream position, and the next call
// starts from a fresh snapshot.
#ifndef TRELLIS_GATEWAY_SYNC_PEER_WATCHER_H_
#define TRELLIS_GATEWAY_SYNC_PEER_WATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/clock.h"
#include "gateway/access/quarantine_firewall.h"
#include "gateway/sync/peer_applier.h"
#include "gateway/wireguard/wireguard_interface.h"
#include "grpcpp/grpcpp.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::gateway {

struct PeerWatcherOptions {
  // Reconnect delay after a failed stream: doubles up to max_backoff, back
  // to initial_backoff after a stream that delivered something usable.
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(5);
  // The server sends a heartbeat every ~5 s when idle; nothing at all for
  // this long means the stream is dead even if TCP has not noticed.
  absl::Duration idle_timeout = absl::Seconds(15);
  // How often, on a heartbeat, the interface is re-read and fixed, which
  // undoes drift such as a peer added by hand or a restarted wireguard-go.
  absl::Duration full_reconcile_interval = absl::Minutes(1);
  // For the periodic reconcile; waits use real time.
  Clock* clock = Clock::Real();
};

struct PeerWatcherStatus {
  bool synced = false;  // a complete snapshot is applied
  std::string feed_id;
  uint64_t serial = 0;
  int64_t streams_started = 0;
  size_t peers_allowed = 0;
};

class PeerWatcher {
 public:
  // `interface` must outlive the watcher; `firewall` may be null (no
  // quarantine enforcement, e.g. in tests).
  PeerWatcher(std::shared_ptr<grpc::ChannelInterface> channel,
              WireGuardInterface* interface, QuarantineFirewall* firewall,
              PeerWatcherOptions options = {});

  PeerWatcher(const PeerWatcher&) = delete;
  PeerWatcher& operator=(const PeerWatcher&) = delete;

  // Follows the stream, reconnecting forever, until Stop().
  void Run();
  // Thread-safe; ends the current call and makes Run() return promptly.
  void Stop();

  PeerWatcherStatus status() const;

 private:
  struct StreamResult {
    bool healthy = false;  // it delivered at least one usable message
    grpc::Status rpc_status;
    absl::Status local_error;  // set when the gateway ended the call
  };

  StreamResult RunStream();
  void LogStreamEnd(const StreamResult& result, absl::Duration retry_in);
  bool Stopping() const;
  // Waits out a reconnect delay while letting the channel connect; false
  // when stopped meanwhile.
  bool WaitUnlessStopped(absl::Duration delay);

  absl::Status Handle(const v1::PeerUpdate& update);

  std::shared_ptr<grpc::ChannelInterface> channel_;
  std::unique_ptr<v1::GatewayService::StubInterface> stub_;
  PeerWatcherOptions options_;
  // Touched only by the Run() thread.
  PeerApplier applier_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_call_ ABSL_GUARDED_BY(mu_) = nullptr;
  PeerWatcherStatus status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_SYNC_PEER_WATCHER_H_
