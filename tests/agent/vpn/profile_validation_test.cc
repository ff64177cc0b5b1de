#include "agent/vpn/profile_validation.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using vpn_testing::FullAssignment;

TEST(ProfileValidationTest, GoodAssignmentPasses) {
  EXPECT_TRUE(ValidateAssignment(FullAssignment()).ok());
  v1::VpnAssignment none;
  none.set_access(v1::VPN_ACCESS_NONE);
  EXPECT_TRUE(ValidateAssignment(none).ok());
}

TEST(ProfileValidationTest, EachBadFieldIsNamed) {
  struct Case {
    std::function<void(v1::VpnAssignment&)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {[](auto& a) { a.set_tunnel_address("10.200.0.7"); }, "tunnel_address"},
      {[](auto& a) { a.mutable_profile()->set_gateway_public_key("abc"); },
       "vpn profile 'corp': gateway_public_key"},
      {[](auto& a) { a.mutable_profile()->set_gateway_endpoint("vpn:x"); },
       "vpn profile 'corp': gateway_endpoint"},
      {[](auto& a) { a.mutable_profile()->set_gateway_endpoint(""); },
       "vpn profile 'corp': gateway_endpoint"},
      {[](auto& a) { a.mutable_profile()->add_routes("10.0.0.0/40"); },
       "vpn profile 'corp': routes[2]"},
      {[](auto& a) {
         a.mutable_profile()->add_remediation_destinations("updates");
       },
       "vpn profile 'corp': remediation_destinations[1]"},
      {[](auto& a) { a.mutable_profile()->add_dns_servers("dns.example"); },
       "vpn profile 'corp': dns_servers[1]"},
      {[](auto& a) { a.mutable_profile()->add_dns_search_domains("a b"); },
       "vpn profile 'corp': dns_search_domains[1]"},
      {[](auto& a) {
         a.mutable_profile()->set_persistent_keepalive_seconds(-1);
       },
       "vpn profile 'corp': persistent_keepalive_seconds"},
      {[](auto& a) {
         a.mutable_profile()
             ->mutable_trusted_networks()
             ->add_beacons()
             ->set_address("beacon");
       },
       "vpn profile 'corp': trusted_networks.beacons[0].address"},
      {[](auto& a) {
         auto* b =
             a.mutable_profile()->mutable_trusted_networks()->add_beacons();
         b->set_address("beacon.example:443");
         b->set_sha256_fingerprint("abcd");
       },
       "vpn profile 'corp': trusted_networks.beacons[0].sha256_fingerprint"},
      // Checks the server applies to every profile it publishes.
      {[](auto& a) { a.mutable_profile()->add_routes("10.1.2.3/16"); },
       "vpn profile 'corp': routes[2]: '10.1.2.3/16'"},
      {[](auto& a) {
         a.mutable_profile()->set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
       },
       "vpn profile 'corp': mode: untrusted-only needs trusted_networks"},
      {[](auto& a) { a.mutable_profile()->set_title(""); },
       "vpn profile 'corp': title"},
  };
  for (const Case& c : cases) {
    v1::VpnAssignment a = FullAssignment();
    c.spoil(a);
    absl::Status s = ValidateAssignment(a);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << c.field;
    EXPECT_THAT(s.message(), HasSubstr(c.field));
  }
}

}  // namespace
}  // namespace trellis::agent
