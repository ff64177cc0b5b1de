#include "agent/vpn/tunnel_plan.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "agent/vpn/profile_validation.h"
#include "common/net/ip_address.h"

namespace trellis::agent {
namespace {

auto Tie(const TunnelPlan& p) {
  return std::tie(p.up, p.held_down_on_trusted_network, p.refused, p.reason,
                  p.access, p.mode, p.profile_id, p.profile_title, p.address,
                  p.peer_public_key, p.endpoint, p.allowed_ips, p.dns_servers,
                  p.dns_search_domains, p.keepalive_seconds,
                  p.trusted_dns_search_domains);
}

TunnelPlan Down(const v1::VpnAssignment& assignment, std::string reason) {
  TunnelPlan plan;
  plan.access = assignment.access();
  plan.mode = assignment.profile().mode();
  plan.profile_id = assignment.profile().id();
  plan.profile_title = assignment.profile().title();
  plan.reason = std::move(reason);
  return plan;
}

std::string ServerReason(const v1::VpnAssignment& assignment) {
  return assignment.reason().empty() ? std::string("no reason given")
                                     : assignment.reason();
}

}  // namespace

bool TunnelPlan::FullTunnelIpv4() const {
  return std::find(allowed_ips.begin(), allowed_ips.end(), "0.0.0.0/0") !=
         allowed_ips.end();
}

bool TunnelPlan::operator==(const TunnelPlan& other) const {
  return Tie(*this) == Tie(other);
}

std::string AccessName(v1::VpnAccess access) {
  switch (access) {
    case v1::VPN_ACCESS_FULL:
      return "full";
    case v1::VPN_ACCESS_QUARANTINE:
      return "quarantine";
    case v1::VPN_ACCESS_NONE:
      return "none";
    default:
      return "unknown";
  }
}

std::string ModeName(v1::VpnMode mode) {
  return mode == v1::VPN_MODE_UNTRUSTED_ONLY ? "untrusted-only" : "always-on";
}

TunnelPlan PlanTunnel(const v1::VpnAssignment& assignment,
                      const TrustedNetworkResult& trust) {
  const v1::VpnAccess access = assignment.access();
  if (access == v1::VPN_ACCESS_UNSPECIFIED) {
    return Down(assignment, "no VPN access assigned by the server yet");
  }
  if (access == v1::VPN_ACCESS_NONE) {
    return Down(assignment,
                absl::StrCat("access removed: ", ServerReason(assignment)));
  }
  if (!assignment.has_profile()) {
    return Down(assignment, "no VPN profile applies to this device");
  }
  if (absl::Status valid = ValidateAssignment(assignment); !valid.ok()) {
    TunnelPlan plan = Down(
        assignment,
        absl::StrCat("refused the server's VPN profile: ", valid.message()));
    plan.refused = true;
    return plan;
  }
  if (assignment.tunnel_address().empty()) {
    TunnelPlan plan =
        Down(assignment,
             "refused the server's VPN profile: tunnel_address: missing");
    plan.refused = true;
    return plan;
  }
  const v1::VpnProfile& profile = assignment.profile();
  const bool quarantine = access == v1::VPN_ACCESS_QUARANTINE;
  const auto& networks =
      quarantine ? profile.remediation_destinations() : profile.routes();
  if (networks.empty()) {
    return Down(assignment,
                quarantine
                    ? absl::StrCat("quarantined (", ServerReason(assignment),
                                   ") and the profile lists no remediation "
                                   "destinations")
                    : "the VPN profile lists no routes");
  }

  TunnelPlan plan = Down(assignment, "");
  plan.address = assignment.tunnel_address();
  plan.peer_public_key = profile.gateway_public_key();
  plan.endpoint = profile.gateway_endpoint();
  for (const std::string& text : networks) {
    std::string network =
        net::ParseNetwork(text)->ToString();  // validated above
    if (std::find(plan.allowed_ips.begin(), plan.allowed_ips.end(), network) ==
        plan.allowed_ips.end()) {
      plan.allowed_ips.push_back(std::move(network));
    }
  }
  plan.dns_servers.assign(profile.dns_servers().begin(),
                          profile.dns_servers().end());
  plan.dns_search_domains.assign(profile.dns_search_domains().begin(),
                                 profile.dns_search_domains().end());
  plan.keepalive_seconds = profile.persistent_keepalive_seconds();
  plan.trusted_dns_search_domains.assign(
      profile.trusted_networks().dns_search_domains().begin(),
      profile.trusted_networks().dns_search_domains().end());

  std::string name = profile.title().empty() ? profile.id() : profile.title();
  if (profile.mode() == v1::VPN_MODE_UNTRUSTED_ONLY && trust.trusted) {
    plan.held_down_on_trusted_network = true;
    plan.reason = absl::StrCat("on trusted network ", trust.detail);
    return plan;
  }
  plan.up = true;
  std::string where = profile.mode() == v1::VPN_MODE_UNTRUSTED_ONLY
                          ? "not on a trusted network"
                          : "always on";
  plan.reason =
      quarantine
          ? absl::StrCat("quarantined: only remediation destinations through ",
                         name, " (", ServerReason(assignment), "; ", where, ")")
          : absl::StrCat("full access through ", name, " (", where, ")");
  return plan;
}

}  // namespace trellis::agent
