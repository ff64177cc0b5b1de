#include "server/vpn/vpn_access_decision.h"

#include "absl/strings/str_cat.h"
#include "common/util/time_format.h"
#include "server/compliance/compliance_decision.h"

namespace trellis::server {

VpnAccessDecision DecideVpnAccess(const DeviceRecord& d,
                                  const v1::VpnProfile* profile) {
  auto none = [](std::string why) {
    return VpnAccessDecision{v1::VPN_ACCESS_NONE, std::move(why)};
  };
  if (d.state == v1::DEVICE_STATE_REVOKED) {
    return none(absl::StrCat("the device was revoked: ", d.revocation_reason));
  }
  if (d.state != v1::DEVICE_STATE_ACTIVE) return none("the device is retired");
  if (d.wireguard_public_key.empty()) {
    return none("the agent has not sent a WireGuard key");
  }
  if (profile == nullptr) return none("no VPN profile applies to this device");
  switch (d.compliance_state) {
    case v1::COMPLIANCE_STATE_COMPLIANT:
      return {v1::VPN_ACCESS_FULL, "compliant"};
    case v1::COMPLIANCE_STATE_GRACE:
      return {v1::VPN_ACCESS_FULL,
              d.grace_deadline
                  ? absl::StrCat("a check fails; access is kept until ",
                                 Rfc3339(*d.grace_deadline))
                  : std::string("a check fails; access is kept for now")};
    case v1::COMPLIANCE_STATE_NONCOMPLIANT:
      if (d.vpn_enforcement == v1::ENFORCEMENT_QUARANTINE &&
          profile->remediation_destinations_size() > 0) {
        return {v1::VPN_ACCESS_QUARANTINE,
                "noncompliant: only remediation services are reachable until "
                "the failing checks pass"};
      }
      return none("noncompliant: fix the failing checks to get access back");
    case v1::COMPLIANCE_STATE_STALE:
      return none("stale: the device has not checked in recently");
    case v1::COMPLIANCE_STATE_UNSPECIFIED:
      return none("not evaluated yet");
    default:
      return none(absl::StrCat("compliance state ",
                               ComplianceStateWord(d.compliance_state)));
  }
}

}  // namespace trellis::server
