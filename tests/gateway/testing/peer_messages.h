// Builders for WatchPeers messages and WireGuard keys, shared by the gateway
// tests.
#ifndef TRELLIS_TESTS_GATEWAY_TESTING_PEER_MESSAGES_H_
#define TRELLIS_TESTS_GATEWAY_TESTING_PEER_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "trellis/v1/gateway_service.pb.h"

namespace trellis::gateway::testing {

// A valid WireGuard public key, different for every `n`.
std::string Key(int n);

v1::GatewayPeer FullPeer(int n, const std::string& device_id,
                         std::vector<std::string> allowed_ips);
v1::GatewayPeer QuarantinedPeer(int n, const std::string& device_id,
                                std::vector<std::string> allowed_ips,
                                std::vector<std::string> destinations);
// Access NONE: remove this peer.
v1::GatewayPeer RemovedPeer(int n, const std::string& device_id);

v1::PeerUpdate Snapshot(const std::string& feed_id, uint64_t serial,
                        std::vector<v1::GatewayPeer> peers,
                        bool complete = true);
v1::PeerUpdate Delta(const std::string& feed_id, uint64_t serial,
                     std::vector<v1::GatewayPeer> peers);
v1::PeerUpdate Heartbeat(const std::string& feed_id, uint64_t serial);

}  // namespace trellis::gateway::testing

#endif  // TRELLIS_TESTS_GATEWAY_TESTING_PEER_MESSAGES_H_
