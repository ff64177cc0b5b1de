#include "agent/vpn/trusted_network.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "agent/vpn/resolv_conf.h"

namespace trellis::agent {
namespace {

std::string Canonical(absl::string_view domain) {
  absl::ConsumeSuffix(&domain, ".");
  return absl::AsciiStrToLower(domain);
}

}  // namespace

std::optional<std::string> MatchSearchDomain(
    const std::vector<std::string>& configured,
    const std::vector<std::string>& trusted,
    const std::vector<std::string>& ignored) {
  auto contains = [](const std::vector<std::string>& list,
                     const std::string& domain) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& d) {
      return Canonical(d) == domain;
    });
  };
  for (const std::string& entry : configured) {
    std::string domain = Canonical(entry);
    if (domain.empty() || contains(ignored, domain)) continue;
    if (contains(trusted, domain)) return domain;
  }
  return std::nullopt;
}

TrustedNetworkResult DetectTrustedNetwork(
    const v1::TrustedNetworks& networks, SystemSource& system,
    BeaconProber& prober, const TrustedNetworkOptions& options) {
  TrustedNetworkResult result;
  if (networks.dns_search_domains().empty() && networks.beacons().empty()) {
    result.detail = "the profile names no trusted networks";
    return result;
  }
  result.evaluated = true;
  std::vector<std::string> tried;
  if (!networks.dns_search_domains().empty()) {
    auto resolv = system.ReadFile("/etc/resolv.conf");
    std::vector<std::string> configured;
    if (resolv.ok()) configured = ParseResolvConfSearchDomains(*resolv);
    std::vector<std::string> trusted(networks.dns_search_domains().begin(),
                                     networks.dns_search_domains().end());
    auto match =
        MatchSearchDomain(configured, trusted, options.ignored_domains);
    if (match) {
      result.trusted = true;
      result.detail = absl::StrCat(*match, " (DNS search domain)");
      return result;
    }
    if (!resolv.ok()) {
      tried.push_back(absl::StrCat("resolv.conf: ", resolv.status().message()));
    } else {
      tried.push_back(absl::StrCat(
          "search domains: ",
          configured.empty() ? "none" : absl::StrJoin(configured, " ")));
    }
  }
  for (const v1::TlsBeacon& beacon : networks.beacons()) {
    if (!options.probe_beacons) {
      tried.push_back(absl::StrCat("beacon ", beacon.address(),
                                   ": not probed while the tunnel is up"));
      continue;
    }
    auto digest =
        prober.LeafCertificateSha256(beacon.address(), options.beacon_timeout);
    if (!digest.ok()) {
      tried.push_back(std::string(digest.status().message()));
      continue;
    }
    if (FingerprintMatches(beacon.sha256_fingerprint(), *digest)) {
      result.trusted = true;
      result.detail = absl::StrCat(beacon.address(), " (TLS beacon)");
      return result;
    }
    tried.push_back(absl::StrCat("beacon ", beacon.address(),
                                 ": certificate does not match the pin"));
  }
  result.detail = absl::StrJoin(tried, "; ");
  return result;
}

}  // namespace trellis::agent
