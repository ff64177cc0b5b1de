#include "server/vpn/peer_sync.h"

#include "absl/strings/str_join.h"
#include "common/policy/vpn_profile_validation.h"
#include "server/vpn/vpn_access_decision.h"

namespace trellis::server {
namespace {

// The peer the gateways should hold for the device; access NONE: none.
VpnPeerRecord DesiredPeer(const DeviceRecord& d, std::optional<uint32_t> addr,
                          const v1::VpnProfile* profile,
                          const VpnAccessDecision& decision) {
  VpnPeerRecord p;
  p.device_id = d.device_id;
  p.public_key = d.wireguard_public_key;
  p.access = addr ? decision.access : v1::VPN_ACCESS_NONE;
  if (p.access == v1::VPN_ACCESS_NONE) return p;
  p.allowed_ips = TunnelAddressPool::HostRoute(*addr);
  if (p.access == v1::VPN_ACCESS_QUARANTINE) {
    p.permitted = absl::StrJoin(profile->remediation_destinations(), ",");
  }
  return p;
}

VpnPeerRecord RemovalOf(const VpnPeerRecord& peer) {
  VpnPeerRecord gone;
  gone.device_id = peer.device_id;
  gone.public_key = peer.public_key;
  gone.access = v1::VPN_ACCESS_NONE;
  return gone;
}

bool SamePeer(const VpnPeerRecord& a, const VpnPeerRecord& b) {
  return a.public_key == b.public_key && a.access == b.access &&
         a.allowed_ips == b.allowed_ips && a.permitted == b.permitted;
}

}  // namespace

PeerSync::BundleSource PeerSync::FromRegistry(const PolicyRegistry* policies) {
  return [policies]() -> std::shared_ptr<const v1::PolicyBundle> {
    std::shared_ptr<const PolicyRegistry::Published> p = policies->current();
    if (p == nullptr) return nullptr;
    return std::shared_ptr<const v1::PolicyBundle>(p, &p->bundle);
  };
}

absl::StatusOr<v1::VpnAssignment> PeerSync::Sync(StoreWriter& w,
                                                 const DeviceRecord& d,
                                                 absl::Time now) const {
  absl::StatusOr<std::optional<uint32_t>> addr = w.GetVpnAddress(d.device_id);
  if (!addr.ok()) return addr.status();
  if (d.state == v1::DEVICE_STATE_RETIRED && *addr) {
    absl::Status released = w.ReleaseVpnAddress(d.device_id);
    if (!released.ok()) return released;
    addr->reset();
  } else if (d.state == v1::DEVICE_STATE_ACTIVE &&
             !d.wireguard_public_key.empty() && !*addr) {
    absl::StatusOr<uint32_t> got = w.AllocateVpnAddress(
        d.device_id, pool_->first_assignable, pool_->last_assignable);
    if (!got.ok()) return got.status();
    *addr = *got;
  }

  std::shared_ptr<const v1::PolicyBundle> bundle = bundle_();
  const v1::VpnProfile* profile =
      bundle == nullptr
          ? nullptr
          : policy::SelectVpnProfile(*bundle, d.platform, d.ownership, d.group);
  VpnAccessDecision decision = DecideVpnAccess(d, profile);
  VpnPeerRecord want = DesiredPeer(d, *addr, profile, decision);

  absl::StatusOr<std::optional<VpnPeerRecord>> have = w.GetVpnPeer(d.device_id);
  if (!have.ok()) return have.status();
  auto append = [&](VpnPeerRecord change) -> absl::Status {
    change.at = now;
    return w.AppendPeerChange(std::move(change)).status();
  };
  bool had = have->has_value();
  bool wanted = want.access != v1::VPN_ACCESS_NONE;
  // A new key replaces the old one: the old peer goes first.
  if (had && (!wanted || (*have)->public_key != want.public_key)) {
    absl::Status s = append(RemovalOf(**have));
    if (!s.ok()) return s;
    had = false;
  }
  if (wanted && (!had || !SamePeer(**have, want))) {
    absl::Status s = append(want);
    if (!s.ok()) return s;
  }

  v1::VpnAssignment assignment;
  assignment.set_access(decision.access);
  assignment.set_reason(decision.reason);
  if (*addr) {
    assignment.set_tunnel_address(TunnelAddressPool::HostRoute(**addr));
  } else if (decision.access != v1::VPN_ACCESS_NONE) {
    assignment.set_access(v1::VPN_ACCESS_NONE);
    assignment.set_reason("no tunnel address is allocated");
  }
  if (profile != nullptr) *assignment.mutable_profile() = *profile;
  return assignment;
}

absl::StatusOr<std::optional<v1::VpnAssignment>> SaveDeviceAndPeer(
    StoreWriter& w, const DeviceRecord& d, const PeerSync* peers,
    absl::Time now) {
  absl::Status s = w.UpdateDevice(d);
  if (!s.ok()) return s;
  if (peers == nullptr || d.wireguard_public_key.empty()) {
    return std::optional<v1::VpnAssignment>();
  }
  auto a = peers->Sync(w, d, now);
  if (!a.ok()) return a.status();
  return std::optional<v1::VpnAssignment>(*std::move(a));
}

absl::StatusOr<int> PeerSync::SyncAll(StoreWriter& w, absl::Time now) const {
  absl::StatusOr<PeerFeedBounds> before = w.GetPeerFeedBounds();
  if (!before.ok()) return before.status();
  absl::StatusOr<std::vector<DeviceRecord>> devices = w.ListVpnDevices();
  if (!devices.ok()) return devices.status();
  for (const DeviceRecord& d : *devices) {
    absl::StatusOr<v1::VpnAssignment> a = Sync(w, d, now);
    // One device's full pool must not stop the others' changes.
    if (!a.ok() && !absl::IsResourceExhausted(a.status())) return a.status();
  }
  absl::StatusOr<PeerFeedBounds> after = w.GetPeerFeedBounds();
  if (!after.ok()) return after.status();
  return static_cast<int>(after->latest_serial - before->latest_serial);
}

}  // namespace trellis::server
