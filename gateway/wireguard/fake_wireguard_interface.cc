#include "gateway/wireguard/fake_wireguard_interface.h"

#include <algorithm>

namespace trellis::gateway {

void FakeWireGuardInterface::AddPeer(const std::string& public_key,
                                     std::vector<std::string> allowed_ips) {
  absl::MutexLock lock(&mu_);
  peers_[public_key] = std::move(allowed_ips);
}

FakeWireGuardInterface::PeerMap FakeWireGuardInterface::peers() const {
  absl::MutexLock lock(&mu_);
  return peers_;
}

std::vector<std::vector<PeerOp>> FakeWireGuardInterface::batches() const {
  absl::MutexLock lock(&mu_);
  return batches_;
}

int FakeWireGuardInterface::list_calls() const {
  absl::MutexLock lock(&mu_);
  return list_calls_;
}

void FakeWireGuardInterface::FailNextApply(absl::Status error) {
  absl::MutexLock lock(&mu_);
  next_error_ = std::move(error);
}

bool FakeWireGuardInterface::WaitUntil(
    const std::function<bool(const PeerMap&)>& done,
    absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto holds = [&]()
                   ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done(peers_); };
  return mu_.AwaitWithTimeout(absl::Condition(&holds), timeout);
}

absl::StatusOr<std::vector<wireguard::WgPeerState>>
FakeWireGuardInterface::ListPeers() {
  absl::MutexLock lock(&mu_);
  ++list_calls_;
  std::vector<wireguard::WgPeerState> out;
  for (const auto& [key, ips] : peers_) {
    wireguard::WgPeerState peer;
    peer.public_key = key;
    peer.allowed_ips = ips;
    out.push_back(std::move(peer));
  }
  return out;
}

absl::Status FakeWireGuardInterface::Apply(const std::vector<PeerOp>& ops) {
  absl::MutexLock lock(&mu_);
  if (!next_error_.ok()) {
    absl::Status error = std::move(next_error_);
    next_error_ = absl::OkStatus();
    return error;
  }
  batches_.push_back(ops);
  for (const PeerOp& op : ops) {
    if (op.kind == PeerOp::Kind::kRemove) {
      peers_.erase(op.public_key);
      continue;
    }
    // Like WireGuard, an address moves to the peer that was set last.
    for (auto& [key, ips] : peers_) {
      if (key == op.public_key) continue;
      ips.erase(std::remove_if(ips.begin(), ips.end(),
                               [&](const std::string& ip) {
                                 return std::find(op.allowed_ips.begin(),
                                                  op.allowed_ips.end(),
                                                  ip) != op.allowed_ips.end();
                               }),
                ips.end());
    }
    peers_[op.public_key] = op.allowed_ips;
  }
  return absl::OkStatus();
}

}  // namespace trellis::gateway
