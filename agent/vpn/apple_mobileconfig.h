// The tunnel as an Apple configuration profile (.mobileconfig) for the
// WireGuard app on macOS: a com.apple.vpn.managed payload whose
// VendorConfig carries the wg-quick text, with on-demand rules so the
// system connects by itself. In untrusted-only mode the rules disconnect on
// the trusted DNS search domains; TLS beacons have no on-demand equivalent
// and are not expressed.
#ifndef TRELLIS_AGENT_VPN_APPLE_MOBILECONFIG_H_
#define TRELLIS_AGENT_VPN_APPLE_MOBILECONFIG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "agent/vpn/tunnel_plan.h"

namespace trellis::agent {

struct MobileconfigInput {
  const TunnelPlan* plan = nullptr;  // must have a peer
  std::string wg_quick_config;       // RenderWgQuickConfig's text
  // Identifies the device; with the profile id it seeds the payload UUIDs,
  // so a re-generated profile replaces the installed one.
  std::string device_id;
  // The profile's trusted DNS search domains (for untrusted-only mode).
  std::vector<std::string> trusted_dns_search_domains;
};

std::string RenderMobileconfig(const MobileconfigInput& input);

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string XmlEscape(absl::string_view text);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_APPLE_MOBILECONFIG_H_
