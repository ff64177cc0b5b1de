#include "agent/vpn/wg_quick_config.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace trellis::agent {

std::string RenderWgQuickConfig(const TunnelPlan& plan,
                                const std::string& private_key) {
  std::string out = absl::StrCat("[Interface]\nPrivateKey = ", private_key,
                                 "\nAddress = ", plan.address, "\n");
  std::vector<std::string> dns = plan.dns_servers;
  dns.insert(dns.end(), plan.dns_search_domains.begin(),
             plan.dns_search_domains.end());
  if (!dns.empty())
    absl::StrAppend(&out, "DNS = ", absl::StrJoin(dns, ", "), "\n");
  absl::StrAppend(&out, "\n[Peer]\nPublicKey = ", plan.peer_public_key,
                  "\nEndpoint = ", plan.endpoint,
                  "\nAllowedIPs = ", absl::StrJoin(plan.allowed_ips, ", "),
                  "\n");
  if (plan.keepalive_seconds > 0) {
    absl::StrAppend(&out, "PersistentKeepalive = ", plan.keepalive_seconds,
                    "\n");
  }
  return out;
}

}  // namespace trellis::agent
