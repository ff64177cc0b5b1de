#include "gateway/peers/peer_table.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace trellis::gateway {
namespace {

absl::Status Refuse(absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("peer stream out of order: ", why));
}

// Every difference between two tables, in key order.
std::vector<PeerChange> Diff(const PeerSet& before, const PeerSet& after) {
  std::vector<PeerChange> changes;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.push_back({b->first, b->second, std::nullopt});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.push_back({a->first, std::nullopt, a->second});
      ++a;
    } else {
      if (a->second != b->second) {
        changes.push_back({a->first, b->second, a->second});
      }
      ++a;
      ++b;
    }
  }
  return changes;
}

}  // namespace

void PeerTable::ForgetFeed() {
  feed_id_.clear();
  serial_ = 0;
  synced_ = false;
  receiving_snapshot_ = false;
  pending_.clear();
  pending_rejected_.clear();
}

absl::StatusOr<TableUpdate> PeerTable::Apply(const v1::PeerUpdate& update) {
  switch (update.kind()) {
    case v1::PeerUpdate::KIND_SNAPSHOT:
      return ApplySnapshotChunk(update);
    case v1::PeerUpdate::KIND_DELTA:
      return ApplyDelta(update);
    case v1::PeerUpdate::KIND_HEARTBEAT:
      return ApplyHeartbeat(update);
    default:
      // An unknown kind may carry changes this gateway cannot apply, so
      // guessing is worse than starting over.
      return Refuse(absl::StrCat("unknown message kind ",
                                 static_cast<int>(update.kind())));
  }
}

absl::StatusOr<TableUpdate> PeerTable::ApplySnapshotChunk(
    const v1::PeerUpdate& update) {
  if (!receiving_snapshot_) {
    // A snapshot of the same feed may not take the view back in time; one
    // of another feed (a different server database) replaces everything.
    if (synced_ && update.feed_id() == feed_id_ && update.serial() < serial_) {
      return Refuse(absl::StrCat("snapshot at serial ", update.serial(),
                                 " is older than serial ", serial_));
    }
    receiving_snapshot_ = true;
    pending_feed_id_ = update.feed_id();
    pending_serial_ = update.serial();
    pending_.clear();
    pending_rejected_.clear();
  } else if (update.feed_id() != pending_feed_id_) {
    return Refuse(absl::StrCat("snapshot chunk of feed '", update.feed_id(),
                               "' inside a snapshot of feed '",
                               pending_feed_id_, "'"));
  } else if (update.serial() < pending_serial_) {
    return Refuse(absl::StrCat("snapshot chunk serial went back from ",
                               pending_serial_, " to ", update.serial()));
  }
  pending_serial_ = update.serial();
  for (const v1::GatewayPeer& peer : update.peers()) {
    if (!GrantsAccess(peer)) continue;
    absl::StatusOr<DesiredPeer> desired = ToDesiredPeer(peer);
    if (!desired.ok()) {
      pending_rejected_.push_back(desired.status());
      continue;
    }
    pending_[desired->public_key] = std::move(*desired);
  }
  TableUpdate result;
  if (!update.snapshot_complete()) return result;

  result.kind = TableUpdate::Kind::kSnapshot;
  result.serial = pending_serial_;
  result.changes = Diff(peers_, pending_);
  result.rejected = std::move(pending_rejected_);
  peers_ = std::move(pending_);
  feed_id_ = pending_feed_id_;
  serial_ = pending_serial_;
  synced_ = true;
  receiving_snapshot_ = false;
  pending_.clear();
  pending_rejected_.clear();
  return result;
}

absl::StatusOr<TableUpdate> PeerTable::ApplyDelta(
    const v1::PeerUpdate& update) {
  if (receiving_snapshot_) return Refuse("delta inside a snapshot");
  if (!synced_) return Refuse("delta before any snapshot");
  if (update.feed_id() != feed_id_) {
    return Refuse(absl::StrCat("delta of feed '", update.feed_id(),
                               "' while following feed '", feed_id_,
                               "' (a new feed must start with a snapshot)"));
  }
  if (update.serial() <= serial_) {
    return Refuse(absl::StrCat("delta serial ", update.serial(),
                               " is not after serial ", serial_,
                               " (already applied)"));
  }
  TableUpdate result;
  result.kind = TableUpdate::Kind::kDelta;
  result.serial = update.serial();
  // One delta may name a key more than once (removed by a timer, then added
  // back by the device's next check-in). Only the net change per key is
  // reported: WireGuard must never see "remove K" then "set K" for a peer
  // that ends as it started, because removing a peer ends its session and
  // the tunnel stays dead for ~15 s after it is re-added.
  std::map<std::string, std::optional<DesiredPeer>> first_before;
  std::vector<std::string> order;
  for (const v1::GatewayPeer& peer : update.peers()) {
    std::optional<DesiredPeer> after;
    if (GrantsAccess(peer)) {
      absl::StatusOr<DesiredPeer> desired = ToDesiredPeer(peer);
      if (desired.ok()) {
        after = std::move(*desired);
      } else {
        // The server no longer vouches for the old state either, so the
        // peer goes rather than keeping access it may not have.
        result.rejected.push_back(desired.status());
      }
    }
    std::optional<DesiredPeer> before;
    auto it = peers_.find(peer.public_key());
    if (it != peers_.end()) before = it->second;
    if (first_before.emplace(peer.public_key(), before).second) {
      order.push_back(peer.public_key());
    }
    if (after) {
      peers_[peer.public_key()] = *std::move(after);
    } else {
      peers_.erase(peer.public_key());
    }
  }
  for (const std::string& key : order) {
    std::optional<DesiredPeer> after;
    auto it = peers_.find(key);
    if (it != peers_.end()) after = it->second;
    std::optional<DesiredPeer>& before = first_before[key];
    if (before == after) continue;
    result.changes.push_back({key, std::move(before), std::move(after)});
  }
  serial_ = update.serial();
  return result;
}

absl::StatusOr<TableUpdate> PeerTable::ApplyHeartbeat(
    const v1::PeerUpdate& update) {
  TableUpdate result;
  // Before the first snapshot and between snapshot chunks a heartbeat says
  // only that the stream is alive.
  if (!synced_ || receiving_snapshot_) return result;
  if (update.feed_id() != feed_id_) {
    return Refuse(absl::StrCat("heartbeat of feed '", update.feed_id(),
                               "' while following feed '", feed_id_, "'"));
  }
  if (update.serial() < serial_) {
    return Refuse(absl::StrCat("heartbeat serial went back from ", serial_,
                               " to ", update.serial()));
  }
  serial_ = update.serial();
  result.serial = serial_;
  return result;
}

}  // namespace trellis::gateway
