#include "server/vpn/peer_feed.h"

#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_split.h"
#include "common/util/logging.h"

namespace trellis::server {

struct PeerFeed::Handle {
  absl::Mutex mu;
  PeerSubscriber* subscriber ABSL_GUARDED_BY(mu) = nullptr;
  bool in_flight ABSL_GUARDED_BY(mu) = false;
  // Until the first Serve(): what the gateway asked to resume from.
  bool started ABSL_GUARDED_BY(mu) = false;
  std::string requested_feed_id ABSL_GUARDED_BY(mu);
  uint64_t requested_serial ABSL_GUARDED_BY(mu) = 0;
  bool needs_snapshot ABSL_GUARDED_BY(mu) = true;
  std::string feed_id ABSL_GUARDED_BY(mu);
  uint64_t serial ABSL_GUARDED_BY(mu) = 0;
  std::deque<v1::PeerUpdate> queued ABSL_GUARDED_BY(mu);
  absl::Time last_sent ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  PeerFeed::Recheck recheck ABSL_GUARDED_BY(mu);
  absl::Time next_recheck ABSL_GUARDED_BY(mu) = absl::InfinitePast();
};

namespace {

v1::GatewayPeer ToGatewayPeer(const VpnPeerRecord& r) {
  v1::GatewayPeer p;
  p.set_public_key(r.public_key);
  p.set_device_id(r.device_id);
  p.set_access(r.access);
  for (absl::string_view ip :
       absl::StrSplit(r.allowed_ips, ',', absl::SkipEmpty())) {
    p.add_allowed_ips(std::string(ip));
  }
  for (absl::string_view ip :
       absl::StrSplit(r.permitted, ',', absl::SkipEmpty())) {
    p.add_permitted_destinations(std::string(ip));
  }
  return p;
}

// The whole peer list as SNAPSHOT messages, and the change-log position it
// corresponds to.
struct Snapshot {
  std::deque<v1::PeerUpdate> messages;
  std::string feed_id;
  uint64_t serial = 0;
};

absl::StatusOr<Snapshot> ReadSnapshot(Store& store) {
  std::vector<VpnPeerRecord> peers;
  PeerFeedBounds bounds;
  // One read transaction: the peers and the serial they correspond to.
  absl::Status read = store.Read([&](StoreReader& r) -> absl::Status {
    absl::StatusOr<std::vector<VpnPeerRecord>> p = r.ListVpnPeers();
    if (!p.ok()) return p.status();
    absl::StatusOr<PeerFeedBounds> b = r.GetPeerFeedBounds();
    if (!b.ok()) return b.status();
    peers = *std::move(p);
    bounds = *b;
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  Snapshot snapshot;
  snapshot.feed_id = bounds.feed_id;
  snapshot.serial = bounds.latest_serial;
  size_t i = 0;
  do {
    v1::PeerUpdate u;
    u.set_feed_id(bounds.feed_id);
    u.set_serial(bounds.latest_serial);
    u.set_kind(v1::PeerUpdate::KIND_SNAPSHOT);
    for (size_t n = 0; n < PeerFeed::kChunk && i < peers.size(); ++n, ++i) {
      *u.add_peers() = ToGatewayPeer(peers[i]);
    }
    u.set_snapshot_complete(i == peers.size());
    snapshot.messages.push_back(std::move(u));
  } while (i < peers.size());
  return snapshot;
}

}  // namespace

PeerFeed::PeerFeed(Store* store, absl::Duration heartbeat,
                   absl::Duration recheck_period)
    : store_(store), heartbeat_(heartbeat), recheck_period_(recheck_period) {}

PeerFeed::~PeerFeed() { Stop(); }

void PeerFeed::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PeerFeed::Stop() {
  std::vector<std::shared_ptr<Handle>> handles;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    handles = handles_;
  }
  if (thread_.joinable()) thread_.join();
  for (const auto& h : handles) {
    absl::MutexLock lock(&h->mu);
    if (h->subscriber != nullptr) {
      h->subscriber->End(absl::UnavailableError("server shutting down"));
    }
  }
}

void PeerFeed::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void PeerFeed::RecheckCallersNow() {
  std::vector<std::shared_ptr<Handle>> handles;
  {
    absl::MutexLock lock(&mu_);
    handles = handles_;
  }
  for (const auto& h : handles) {
    absl::MutexLock lock(&h->mu);
    h->next_recheck = absl::InfinitePast();
  }
  Notify();
}

std::shared_ptr<PeerFeed::Handle> PeerFeed::Subscribe(
    PeerSubscriber* subscriber, const std::string& feed_id,
    uint64_t after_serial, Recheck recheck) {
  auto h = std::make_shared<Handle>();
  {
    absl::MutexLock lock(&h->mu);
    h->subscriber = subscriber;
    h->requested_feed_id = feed_id;
    h->requested_serial = after_serial;
    h->recheck = std::move(recheck);
    // The caller was checked when the call arrived.
    h->next_recheck = absl::Now() + recheck_period_;
  }
  absl::MutexLock lock(&mu_);
  handles_.push_back(h);
  wake_ = true;
  return h;
}

void PeerFeed::SendDone(const std::shared_ptr<Handle>& h, bool ok) {
  {
    absl::MutexLock lock(&h->mu);
    h->in_flight = false;
    if (!ok) h->subscriber = nullptr;
  }
  Notify();
}

void PeerFeed::Unsubscribe(const std::shared_ptr<Handle>& h) {
  {
    absl::MutexLock lock(&h->mu);
    h->subscriber = nullptr;
  }
  absl::MutexLock lock(&mu_);
  handles_.erase(std::remove(handles_.begin(), handles_.end(), h),
                 handles_.end());
}

void PeerFeed::Run() {
  // Heartbeats are checked a few times per period, so none is late by more
  // than a fraction of it.
  // Callers are re-checked on the same ticks.
  const absl::Duration tick = std::min(heartbeat_ / 4, recheck_period_);
  while (true) {
    std::vector<std::shared_ptr<Handle>> handles;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](PeerFeed* f) ABSL_EXCLUSIVE_LOCKS_REQUIRED(f->mu_) {
                return f->wake_ || f->stopping_;
              },
              this),
          tick);
      if (stopping_) return;
      wake_ = false;
      handles = handles_;
    }
    if (handles.empty()) continue;
    for (const auto& h : handles) RecheckCaller(*h, absl::Now());
    PeerFeedBounds bounds;
    absl::Status read = store_->Read([&](StoreReader& r) -> absl::Status {
      absl::StatusOr<PeerFeedBounds> b = r.GetPeerFeedBounds();
      if (!b.ok()) return b.status();
      bounds = *b;
      return absl::OkStatus();
    });
    if (!read.ok()) {
      LogError("gateway feed: cannot read the change log: ", read.message());
      continue;
    }
    const absl::Time now = absl::Now();
    for (const auto& h : handles) Serve(*h, bounds, now);
  }
}

void PeerFeed::RecheckCaller(Handle& h, absl::Time now) {
  absl::MutexLock lock(&h.mu);
  if (h.subscriber == nullptr || !h.recheck || now < h.next_recheck) return;
  h.next_recheck = now + recheck_period_;
  absl::Status allowed = h.recheck();
  if (allowed.ok()) return;
  if (!absl::IsUnauthenticated(allowed) && !absl::IsPermissionDenied(allowed)) {
    // Not knowing (e.g. the database is busy) is no reason to cut a
    // gateway off; the next tick asks again.
    LogError("gateway feed: cannot re-check a gateway's credential: ",
             allowed.message());
    return;
  }
  h.subscriber->End(allowed);
  h.subscriber = nullptr;
}

void PeerFeed::Serve(Handle& h, const PeerFeedBounds& bounds, absl::Time now) {
  absl::MutexLock lock(&h.mu);
  if (h.subscriber == nullptr || h.in_flight) return;
  if (!h.started) {
    h.started = true;
    // Resume only within the same database, and only when every change
    // after the gateway's serial is still held.
    bool resumable = h.requested_feed_id == bounds.feed_id &&
                     h.requested_serial <= bounds.latest_serial &&
                     h.requested_serial + 1 >= bounds.oldest_serial;
    h.needs_snapshot = !resumable;
    if (resumable) {
      h.feed_id = bounds.feed_id;
      h.serial = h.requested_serial;
    }
  }
  if (h.queued.empty() && !h.needs_snapshot &&
      h.serial + 1 < bounds.oldest_serial) {
    h.needs_snapshot = true;  // pruned past this stream's position
  }
  if (h.needs_snapshot) {
    absl::StatusOr<Snapshot> snapshot = ReadSnapshot(*store_);
    if (!snapshot.ok()) {
      LogError("gateway feed: snapshot failed: ", snapshot.status().message());
      h.subscriber->End(absl::UnavailableError("cannot read the peer list"));
      h.subscriber = nullptr;
      return;
    }
    h.queued = std::move(snapshot->messages);
    h.needs_snapshot = false;
    h.feed_id = std::move(snapshot->feed_id);
    h.serial = snapshot->serial;
  }
  v1::PeerUpdate update;
  if (!h.queued.empty()) {
    update = std::move(h.queued.front());
    h.queued.pop_front();
  } else if (h.serial < bounds.latest_serial) {
    std::vector<VpnPeerRecord> changes;
    // Copied: the analysis cannot see that h.mu is held inside the lambda.
    const uint64_t after = h.serial;
    absl::Status read = store_->Read([&](StoreReader& r) -> absl::Status {
      auto c = r.ListPeerChanges(after, kChunk);
      if (!c.ok()) return c.status();
      changes = *std::move(c);
      return absl::OkStatus();
    });
    if (!read.ok()) {
      LogError("gateway feed: cannot read changes: ", read.message());
      return;
    }
    if (changes.empty()) return;
    update.set_kind(v1::PeerUpdate::KIND_DELTA);
    for (const VpnPeerRecord& c : changes)
      *update.add_peers() = ToGatewayPeer(c);
    h.serial = changes.back().serial;
  } else if (now - h.last_sent >= heartbeat_) {
    update.set_kind(v1::PeerUpdate::KIND_HEARTBEAT);
  } else {
    return;
  }
  if (update.kind() != v1::PeerUpdate::KIND_SNAPSHOT) {
    update.set_feed_id(h.feed_id);
    update.set_serial(h.serial);
  }
  h.in_flight = true;
  h.last_sent = now;
  if (!h.subscriber->Send(update)) {
    h.in_flight = false;
    h.subscriber = nullptr;
  }
}

}  // namespace trellis::server
