#include "tests/gateway/testing/peer_messages.h"

#include "absl/strings/escaping.h"

namespace trellis::gateway::testing {

std::string Key(int n) {
  std::string raw(32, '\0');
  raw[0] = static_cast<char>(n & 0xff);
  raw[1] = static_cast<char>((n >> 8) & 0xff);
  raw[31] = 0x42;
  return absl::Base64Escape(raw);
}

namespace {

v1::GatewayPeer Peer(int n, const std::string& device_id, v1::VpnAccess access,
                     std::vector<std::string> ips,
                     std::vector<std::string> destinations) {
  v1::GatewayPeer peer;
  peer.set_public_key(Key(n));
  peer.set_device_id(device_id);
  peer.set_access(access);
  for (std::string& ip : ips) peer.add_allowed_ips(std::move(ip));
  for (std::string& d : destinations) {
    peer.add_permitted_destinations(std::move(d));
  }
  return peer;
}

v1::PeerUpdate Update(v1::PeerUpdate::Kind kind, const std::string& feed_id,
                      uint64_t serial, std::vector<v1::GatewayPeer> peers) {
  v1::PeerUpdate update;
  update.set_kind(kind);
  update.set_feed_id(feed_id);
  update.set_serial(serial);
  for (v1::GatewayPeer& peer : peers) *update.add_peers() = std::move(peer);
  return update;
}

}  // namespace

v1::GatewayPeer FullPeer(int n, const std::string& device_id,
                         std::vector<std::string> allowed_ips) {
  return Peer(n, device_id, v1::VPN_ACCESS_FULL, std::move(allowed_ips), {});
}

v1::GatewayPeer QuarantinedPeer(int n, const std::string& device_id,
                                std::vector<std::string> allowed_ips,
                                std::vector<std::string> destinations) {
  return Peer(n, device_id, v1::VPN_ACCESS_QUARANTINE, std::move(allowed_ips),
              std::move(destinations));
}

v1::GatewayPeer RemovedPeer(int n, const std::string& device_id) {
  return Peer(n, device_id, v1::VPN_ACCESS_NONE, {}, {});
}

v1::PeerUpdate Snapshot(const std::string& feed_id, uint64_t serial,
                        std::vector<v1::GatewayPeer> peers, bool complete) {
  v1::PeerUpdate update =
      Update(v1::PeerUpdate::KIND_SNAPSHOT, feed_id, serial, std::move(peers));
  update.set_snapshot_complete(complete);
  return update;
}

v1::PeerUpdate Delta(const std::string& feed_id, uint64_t serial,
                     std::vector<v1::GatewayPeer> peers) {
  return Update(v1::PeerUpdate::KIND_DELTA, feed_id, serial, std::move(peers));
}

v1::PeerUpdate Heartbeat(const std::string& feed_id, uint64_t serial) {
  return Update(v1::PeerUpdate::KIND_HEARTBEAT, feed_id, serial, {});
}

}  // namespace trellis::gateway::testing
