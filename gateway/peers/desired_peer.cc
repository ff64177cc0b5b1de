#include "gateway/peers/desired_peer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/crypto/wireguard_key.h"
#include "common/net/ip_address.h"

namespace trellis::gateway {
namespace {

// Canonical, sorted and de-duplicated, so two lists that mean the same
// addresses compare equal.
absl::StatusOr<std::vector<std::string>> CanonicalCidrs(
    const google::protobuf::RepeatedPtrField<std::string>& texts,
    absl::string_view field) {
  std::vector<std::string> out;
  for (const std::string& text : texts) {
    absl::StatusOr<net::Cidr> cidr = net::ParseHostOrNetwork(text);
    if (!cidr.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", cidr.status().message()));
    }
    out.push_back(cidr->ToString());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

// Server fields are quoted in logs only as printable text of a sane length,
// so a garbage field cannot forge log lines or flood the log.
std::string LogSafe(const std::string& text) {
  std::string out = text.substr(0, 80);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

bool GrantsAccess(const v1::GatewayPeer& peer) {
  return peer.access() == v1::VPN_ACCESS_FULL ||
         peer.access() == v1::VPN_ACCESS_QUARANTINE;
}

std::string PeerLabel(const std::string& device_id,
                      const std::string& public_key) {
  if (device_id.empty()) return absl::StrCat("key ", LogSafe(public_key));
  return absl::StrCat("device ", LogSafe(device_id), ", key ",
                      LogSafe(public_key));
}

absl::StatusOr<DesiredPeer> ToDesiredPeer(const v1::GatewayPeer& peer) {
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "peer (", PeerLabel(peer.device_id(), peer.public_key()), "): ", why));
  };
  absl::Status key = crypto::ValidateWireGuardPublicKey(peer.public_key());
  if (!key.ok()) return invalid(absl::StrCat("public_key: ", key.message()));
  if (!GrantsAccess(peer)) return invalid("access grants no VPN access");
  DesiredPeer out;
  out.public_key = peer.public_key();
  out.device_id = peer.device_id();
  out.access = peer.access();
  absl::StatusOr<std::vector<std::string>> ips =
      CanonicalCidrs(peer.allowed_ips(), "allowed_ips");
  if (!ips.ok()) return invalid(ips.status().message());
  out.allowed_ips = std::move(*ips);
  if (out.quarantined()) {
    absl::StatusOr<std::vector<std::string>> destinations =
        CanonicalCidrs(peer.permitted_destinations(), "permitted_destinations");
    if (!destinations.ok()) return invalid(destinations.status().message());
    out.permitted_destinations = std::move(*destinations);
  }
  return out;
}

}  // namespace trellis::gateway
