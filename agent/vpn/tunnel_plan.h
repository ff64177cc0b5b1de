// What the tunnel should look like, decided purely from the server's VPN
// assignment and the trusted-network result. Controllers only carry a plan
// out; every decision, and the reason the employee reads, is made here.
#ifndef TRELLIS_AGENT_VPN_TUNNEL_PLAN_H_
#define TRELLIS_AGENT_VPN_TUNNEL_PLAN_H_

#include <string>
#include <vector>

#include "agent/vpn/trusted_network.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

struct TunnelPlan {
  bool up = false;
  // Access is granted but the device is on a trusted network (untrusted-only
  // mode). The peer fields are still filled: platforms that hand the
  // profile to the WireGuard app keep the file and let it decide.
  bool held_down_on_trusted_network = false;
  // The server's profile was malformed and is not applied.
  bool refused = false;
  // For the employee: why the tunnel is up or down.
  std::string reason;

  v1::VpnAccess access = v1::VPN_ACCESS_UNSPECIFIED;
  v1::VpnMode mode = v1::VPN_MODE_UNSPECIFIED;
  std::string profile_id;
  std::string profile_title;
  std::string address;  // the device's tunnel address, "10.200.0.7/32"
  std::string peer_public_key;
  std::string endpoint;
  // Networks sent through the tunnel, canonical ("10.1.0.0/16").
  std::vector<std::string> allowed_ips;
  std::vector<std::string> dns_servers;
  std::vector<std::string> dns_search_domains;
  int keepalive_seconds = 0;
  // The profile's trusted DNS search domains (Apple on-demand rules).
  std::vector<std::string> trusted_dns_search_domains;

  // The peer is configured (up, or held down on a trusted network).
  bool HasPeer() const { return !peer_public_key.empty(); }
  // All IPv4 traffic goes through the tunnel (0.0.0.0/0 allowed).
  bool FullTunnelIpv4() const;
  bool operator==(const TunnelPlan& other) const;
  bool operator!=(const TunnelPlan& other) const { return !(*this == other); }
};

// The tunnel for `assignment`:
//   down  access NONE or unspecified, no profile, a malformed profile,
//         quarantine without remediation destinations, or untrusted-only
//         mode on a trusted network;
//   up    otherwise, with allowed IPs = profile routes (full access) or
//         remediation destinations (quarantine).
TunnelPlan PlanTunnel(const v1::VpnAssignment& assignment,
                      const TrustedNetworkResult& trust);

// "full", "quarantine", "none" (or "unknown").
std::string AccessName(v1::VpnAccess access);
// "always-on", "untrusted-only".
std::string ModeName(v1::VpnMode mode);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_TUNNEL_PLAN_H_
