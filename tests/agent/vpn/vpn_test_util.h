// Test support for the VPN code: a machine of files, a scripted beacon
// prober, a recording tunnel controller, and a valid assignment to vary.
#ifndef TRELLIS_TESTS_AGENT_VPN_VPN_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_VPN_VPN_TEST_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/system_source.h"
#include "agent/vpn/beacon_prober.h"
#include "agent/vpn/tunnel_controller.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent::vpn_testing {

// Fixed base64 WireGuard public keys (32 bytes each).
inline constexpr char kGatewayKey[] =
    "F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk=";
inline constexpr char kOtherKey[] =
    "WEn8hrW/IDnjRBUzJlXNgEniyX7qZjnDS05rgk8hWBU=";

class FakeSystem : public SystemSource {
 public:
  std::map<std::string, std::string> files;
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError("cannot open " + path);
    return it->second;
  }
  absl::StatusOr<UnameInfo> Uname() override { return UnameInfo{}; }
};

class FakeProber : public BeaconProber {
 public:
  // address -> raw SHA-256 (or an error).
  std::map<std::string, absl::StatusOr<std::string>> answers;
  std::vector<std::string> probed;
  absl::StatusOr<std::string> LeafCertificateSha256(
      absl::string_view address, absl::Duration timeout) override {
    probed.emplace_back(address);
    auto it = answers.find(std::string(address));
    if (it == answers.end()) {
      return absl::UnavailableError(
          absl::StrCat("beacon ", address, ": cannot connect: refused"));
    }
    return it->second;
  }
};

class RecordingController : public TunnelController {
 public:
  std::vector<TunnelPlan> applied;
  absl::Status next_error;
  ApplyResult next_result;
  absl::StatusOr<ApplyResult> Apply(const TunnelPlan& plan) override {
    applied.push_back(plan);
    if (!next_error.ok()) return next_error;
    return next_result;
  }
  // What Observe() reports; by default nothing is there.
  TunnelObservation observation;
  TunnelObservation Observe() override { return observation; }
  std::string Describe() const override { return "interface test0"; }
};

// Full access through an always-on split tunnel.
inline v1::VpnAssignment FullAssignment() {
  v1::VpnAssignment a;
  a.set_access(v1::VPN_ACCESS_FULL);
  a.set_reason("meets policy");
  a.set_tunnel_address("10.200.0.7/32");
  v1::VpnProfile* p = a.mutable_profile();
  p->set_id("corp");
  p->set_title("Council VPN");
  p->set_gateway_endpoint("vpn.council.example:51820");
  p->set_gateway_public_key(kGatewayKey);
  p->add_routes("10.0.0.0/8");
  p->add_routes("192.168.50.0/24");
  p->add_dns_servers("10.0.0.53");
  p->add_dns_search_domains("corp.example");
  p->set_persistent_keepalive_seconds(25);
  p->set_mode(v1::VPN_MODE_ALWAYS_ON);
  p->add_remediation_destinations("10.9.0.0/16");
  return a;
}

}  // namespace trellis::agent::vpn_testing

#endif  // TRELLIS_TESTS_AGENT_VPN_VPN_TEST_UTIL_H_
