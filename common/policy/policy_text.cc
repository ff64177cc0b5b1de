#include "common/policy/policy_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_loader.h"

namespace trellis::policy {
namespace {

std::string ListOr(const google::protobuf::RepeatedPtrField<std::string>& list,
                   absl::string_view none) {
  return list.empty() ? std::string(none) : absl::StrJoin(list, ", ");
}

bool IsFullTunnel(const v1::VpnProfile& profile) {
  for (const std::string& route : profile.routes()) {
    if (route == "0.0.0.0/0" || route == "::/0") return true;
  }
  return false;
}

}  // namespace

std::string CheckStateText(const v1::CheckResult& result) {
  std::string text = CheckStateWord(result.state());
  bool costs_access = result.state() == v1::CHECK_STATE_FAIL ||
                      result.state() == v1::CHECK_STATE_ERROR;
  if (!costs_access || !result.has_excepted_until()) return text;
  absl::StrAppend(
      &text, " (excepted until ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                       absl::FromUnixSeconds(result.excepted_until().seconds()),
                       absl::UTCTimeZone()));
  if (!result.exception_reason().empty()) {
    absl::StrAppend(&text, ": ", result.exception_reason());
  }
  return text + ")";
}

const char* VpnModeWord(v1::VpnMode mode) {
  switch (mode) {
    case v1::VPN_MODE_ALWAYS_ON:
      return "always-on";
    case v1::VPN_MODE_UNTRUSTED_ONLY:
      return "untrusted-only";
    default:
      return "-";
  }
}

const char* VpnAccessWord(v1::VpnAccess access) {
  switch (access) {
    case v1::VPN_ACCESS_NONE:
      return "none";
    case v1::VPN_ACCESS_FULL:
      return "full";
    case v1::VPN_ACCESS_QUARANTINE:
      return "quarantine";
    default:
      return "-";
  }
}

std::string AppliesToText(const v1::AppliesTo& applies_to) {
  std::vector<std::string> parts;
  if (!applies_to.platforms().empty()) {
    std::vector<std::string> names;
    for (int p : applies_to.platforms()) {
      names.push_back(PlatformName(static_cast<v1::Platform>(p)));
    }
    parts.push_back(absl::StrJoin(names, ", "));
  }
  if (!applies_to.ownership().empty()) {
    std::vector<std::string> names;
    for (int o : applies_to.ownership()) {
      names.push_back(o == v1::OWNERSHIP_CORPORATE  ? "corporate"
                      : o == v1::OWNERSHIP_PERSONAL ? "personal"
                                                    : "unknown");
    }
    parts.push_back(absl::StrJoin(names, ", "));
  }
  if (!applies_to.groups().empty()) {
    parts.push_back(absl::StrCat("groups ", ListOr(applies_to.groups(), "")));
  }
  return parts.empty() ? "any device" : absl::StrJoin(parts, "; ");
}

std::string DescribeVpnProfile(const v1::VpnProfile& p) {
  const v1::TrustedNetworks& trusted = p.trusted_networks();
  std::vector<std::string> proofs;
  for (const std::string& domain : trusted.dns_search_domains()) {
    proofs.push_back(absl::StrCat("search domain ", domain));
  }
  for (const v1::TlsBeacon& b : trusted.beacons()) {
    proofs.push_back(absl::StrCat("beacon ", b.address(), " (sha256 ",
                                  b.sha256_fingerprint(), ")"));
  }
  std::string dns = ListOr(p.dns_servers(), "the device's own");
  if (!p.dns_search_domains().empty()) {
    absl::StrAppend(&dns, "; search ", ListOr(p.dns_search_domains(), ""));
  }
  std::string out = absl::StrCat("VPN profile ", p.id(), ": ", p.title(), "\n");
  auto line = [&out](absl::string_view label, absl::string_view value) {
    absl::StrAppend(&out, "  ", label, std::string(14 - label.size(), ' '),
                    value, "\n");
  };
  line("applies to:", AppliesToText(p.applies_to()));
  line("gateway:", p.gateway_endpoint());
  line("gateway key:", p.gateway_public_key());
  line("routes:",
       absl::StrCat(ListOr(p.routes(), "-"),
                    IsFullTunnel(p) ? " (full tunnel)" : " (split tunnel)"));
  line("dns:", dns);
  line("keepalive:", p.persistent_keepalive_seconds() == 0
                         ? std::string("off")
                         : absl::StrCat(p.persistent_keepalive_seconds(), "s"));
  line("mode:", VpnModeWord(p.mode()));
  line("trusted when:", proofs.empty() ? "-" : absl::StrJoin(proofs, " or "));
  line("quarantine:", ListOr(p.remediation_destinations(), "nothing"));
  return out;
}

}  // namespace trellis::policy
