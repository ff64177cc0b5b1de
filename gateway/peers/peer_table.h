// The set of peers the server allows, built from the WatchPeers stream, and
// where that stream is (feed id and serial) so a new call can resume it.
//
// The table enforces the stream's ordering rules and refuses a message that
// breaks them (a serial going backwards or repeating, a delta from another
// feed, a delta with no snapshot to apply it to). A refusal means the view
// can no longer be trusted: the caller calls ForgetFeed() and starts again
// from a fresh snapshot.
#ifndef TRELLIS_GATEWAY_PEERS_PEER_TABLE_H_
#define TRELLIS_GATEWAY_PEERS_PEER_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/peers/desired_peer.h"
#include "trellis/v1/gateway_service.pb.h"

namespace trellis::gateway {

// One peer whose desired state changed. `before`/`after` are empty when the
// peer was absent before / is to be removed.
struct PeerChange {
  std::string public_key;
  std::optional<DesiredPeer> before;
  std::optional<DesiredPeer> after;

  // The device id from whichever side names it.
  const std::string& device_id() const {
    return after ? after->device_id : before->device_id;
  }
};

struct TableUpdate {
  enum class Kind {
    kNothing,   // heartbeat, or a snapshot chunk still waiting for the rest
    kSnapshot,  // a complete snapshot replaced the table
    kDelta,     // some peers changed
  };
  Kind kind = Kind::kNothing;
  uint64_t serial = 0;
  // kSnapshot: every difference from the previous table. kDelta: the peers
  // that really changed, one entry per key with its state before the delta
  // and after it, in order of first mention (a delta restating a peer's
  // current state, or removing and re-adding it unchanged, is left out).
  std::vector<PeerChange> changes;
  // Peers the server sent that are unusable (bad key or address). They are
  // left out of the table, so a bad peer never keeps or gets access.
  std::vector<absl::Status> rejected;
};

class PeerTable {
 public:
  absl::StatusOr<TableUpdate> Apply(const v1::PeerUpdate& update);

  // Drops the stream position (and any half-received snapshot) but keeps the
  // peers, which stay the best knowledge until the next snapshot.
  void ForgetFeed();

  const PeerSet& peers() const { return peers_; }
  // True once a complete snapshot was applied (and not forgotten): a new
  // WatchPeers call then resumes from feed_id() and serial().
  bool resumable() const { return synced_; }
  const std::string& feed_id() const { return feed_id_; }
  uint64_t serial() const { return serial_; }

 private:
  absl::StatusOr<TableUpdate> ApplySnapshotChunk(const v1::PeerUpdate& update);
  absl::StatusOr<TableUpdate> ApplyDelta(const v1::PeerUpdate& update);
  absl::StatusOr<TableUpdate> ApplyHeartbeat(const v1::PeerUpdate& update);

  PeerSet peers_;
  std::string feed_id_;
  uint64_t serial_ = 0;
  bool synced_ = false;  // a complete snapshot of feed_id_ was applied

  // A snapshot being received.
  bool receiving_snapshot_ = false;
  std::string pending_feed_id_;
  uint64_t pending_serial_ = 0;
  PeerSet pending_;
  std::vector<absl::Status> pending_rejected_;
};

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_PEERS_PEER_TABLE_H_
