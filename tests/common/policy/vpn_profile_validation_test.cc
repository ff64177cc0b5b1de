#include "common/policy/vpn_profile_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

v1::VpnProfile Valid(const std::string& id = "remote") {
  v1::VpnProfile p;
  p.set_id(id);
  p.set_title("Remote access");
  p.set_gateway_endpoint("vpn.council.example:51820");
  p.set_gateway_public_key("6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=");
  p.add_routes("10.10.0.0/16");
  p.add_dns_servers("10.10.0.53");
  p.add_dns_search_domains("corp.council.example");
  p.set_persistent_keepalive_seconds(25);
  p.set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  p.mutable_trusted_networks()->add_dns_search_domains("corp.council.example");
  v1::TlsBeacon* b = p.mutable_trusted_networks()->add_beacons();
  b->set_address("[2001:db8::5]:443");
  b->set_sha256_fingerprint(std::string(64, 'a'));
  p.add_remediation_destinations("10.10.5.0/24");
  return p;
}

TEST(VpnProfileValidationTest, AcceptsAValidProfileAndNone) {
  EXPECT_TRUE(ValidateVpnProfiles({Valid()}).ok())
      << ValidateVpnProfiles({Valid()});
  EXPECT_TRUE(ValidateVpnProfiles({}).ok());
}

TEST(VpnProfileValidationTest, AcceptsAFullTunnelAlwaysOnProfile) {
  v1::VpnProfile p = Valid();
  p.clear_routes();
  p.add_routes("0.0.0.0/0");
  p.add_routes("::/0");
  p.set_mode(v1::VPN_MODE_ALWAYS_ON);
  p.clear_trusted_networks();
  p.set_gateway_endpoint("192.0.2.10:51820");
  EXPECT_TRUE(ValidateVpnProfiles({p}).ok()) << ValidateVpnProfiles({p});
}

struct BadCase {
  const char* name;
  std::function<void(v1::VpnProfile*)> edit;
  const char* expected;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadProfileTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadProfileTest, IsRefusedNamingProfileAndField) {
  v1::VpnProfile p = Valid();
  GetParam().edit(&p);
  absl::Status s = ValidateVpnProfiles({p});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(GetParam().expected)) << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadProfileTest,
    ::testing::Values(
        BadCase{"BadId", [](v1::VpnProfile* p) { p->set_id("Remote!"); },
                "vpn profile 'Remote!': id must be"},
        BadCase{"NoTitle", [](v1::VpnProfile* p) { p->clear_title(); },
                "vpn profile 'remote': title: is required"},
        BadCase{"LongTitle",
                [](v1::VpnProfile* p) { p->set_title(std::string(254, 't')); },
                "vpn profile 'remote': title: is required (at most 253"},
        BadCase{"UnknownPlatform",
                [](v1::VpnProfile* p) {
                  p->mutable_applies_to()->add_platforms(
                      static_cast<v1::Platform>(99));
                },
                "vpn profile 'remote': applies_to.platforms"},
        BadCase{"NoEndpoint",
                [](v1::VpnProfile* p) { p->clear_gateway_endpoint(); },
                "gateway_endpoint: required"},
        BadCase{"EndpointWithoutPort",
                [](v1::VpnProfile* p) {
                  p->set_gateway_endpoint("vpn.council.example");
                },
                "vpn profile 'remote': gateway_endpoint: "
                "'vpn.council.example'"},
        BadCase{"EndpointBadPort",
                [](v1::VpnProfile* p) {
                  p->set_gateway_endpoint("vpn.council.example:70000");
                },
                "gateway_endpoint: 'vpn.council.example:70000'"},
        BadCase{"EndpointBareIpv6",
                [](v1::VpnProfile* p) {
                  p->set_gateway_endpoint("2001:db8::1:51820");
                },
                "gateway_endpoint: "},
        BadCase{"NoKey",
                [](v1::VpnProfile* p) { p->clear_gateway_public_key(); },
                "gateway_public_key: required"},
        BadCase{"BadKey",
                [](v1::VpnProfile* p) {
                  p->set_gateway_public_key(std::string(43, 'A') + "!");
                },
                "gateway_public_key: "},
        BadCase{"NoRoutes", [](v1::VpnProfile* p) { p->clear_routes(); },
                "routes: at least one CIDR"},
        BadCase{"RouteHostBits",
                [](v1::VpnProfile* p) { p->add_routes("10.20.0.1/16"); },
                "vpn profile 'remote': routes[1]: '10.20.0.1/16'"},
        BadCase{"RoutePrefixTooLong",
                [](v1::VpnProfile* p) { p->add_routes("fd00::/129"); },
                "routes[1]: 'fd00::/129'"},
        BadCase{"TooManyRoutes",
                [](v1::VpnProfile* p) {
                  for (int i = 0; i < 64; ++i) {
                    p->add_routes(absl::StrCat("10.", i, ".0.0/16"));
                  }
                },
                "routes: has 65 entries; at most 64"},
        BadCase{"LongRoute",
                [](v1::VpnProfile* p) { p->add_routes(std::string(300, '1')); },
                "routes[1]: longer than 253 bytes"},
        BadCase{"BadDnsServer",
                [](v1::VpnProfile* p) { p->add_dns_servers("dns.example"); },
                "dns_servers[1]: 'dns.example'"},
        BadCase{
            "BadSearchDomain",
            [](v1::VpnProfile* p) { p->add_dns_search_domains("bad domain"); },
            "dns_search_domains[1]: 'bad domain': not a DNS name"},
        BadCase{
            "NegativeKeepalive",
            [](v1::VpnProfile* p) { p->set_persistent_keepalive_seconds(-1); },
            "persistent_keepalive_seconds: must be 0..3600"},
        BadCase{"LongKeepalive",
                [](v1::VpnProfile* p) {
                  p->set_persistent_keepalive_seconds(3601);
                },
                "persistent_keepalive_seconds: must be 0..3600"},
        BadCase{
            "NoMode",
            [](v1::VpnProfile* p) { p->set_mode(v1::VPN_MODE_UNSPECIFIED); },
            "mode: must be always-on or untrusted-only"},
        BadCase{
            "UnknownMode",
            [](v1::VpnProfile* p) { p->set_mode(static_cast<v1::VpnMode>(7)); },
            "mode: must be always-on or untrusted-only"},
        BadCase{"UntrustedOnlyWithoutTrustedNetworks",
                [](v1::VpnProfile* p) { p->clear_trusted_networks(); },
                "mode: untrusted-only needs trusted_networks"},
        BadCase{"BadTrustedDomain",
                [](v1::VpnProfile* p) {
                  p->mutable_trusted_networks()->add_dns_search_domains(
                      "-corp");
                },
                "trusted_networks.dns_search_domains[1]: '-corp'"},
        BadCase{
            "BadBeaconAddress",
            [](v1::VpnProfile* p) {
              p->mutable_trusted_networks()->mutable_beacons(0)->set_address(
                  "beacon");
            },
            "trusted_networks.beacons[0].address: 'beacon'"},
        BadCase{"UpperCaseFingerprint",
                [](v1::VpnProfile* p) {
                  p->mutable_trusted_networks()
                      ->mutable_beacons(0)
                      ->set_sha256_fingerprint(std::string(64, 'A'));
                },
                "trusted_networks.beacons[0].sha256_fingerprint: "},
        BadCase{"ShortFingerprint",
                [](v1::VpnProfile* p) {
                  p->mutable_trusted_networks()
                      ->mutable_beacons(0)
                      ->set_sha256_fingerprint("abcd");
                },
                "64 lower-case hex digits"},
        BadCase{"TooManyBeacons",
                [](v1::VpnProfile* p) {
                  for (int i = 0; i < 64; ++i) {
                    *p->mutable_trusted_networks()->add_beacons() =
                        p->trusted_networks().beacons(0);
                  }
                },
                "trusted_networks.beacons: has 65 entries"},
        BadCase{"BadRemediationDestination",
                [](v1::VpnProfile* p) {
                  p->add_remediation_destinations("10.10.5.0");
                },
                "remediation_destinations[1]: '10.10.5.0'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(VpnProfileValidationTest, DuplicateIdsAreRefused) {
  absl::Status s = ValidateVpnProfiles({Valid("a"), Valid("b"), Valid("a")});
  EXPECT_THAT(s.message(), HasSubstr("vpn profile 'a': duplicate id"));
}

TEST(VpnProfileValidationTest, AtMost64Profiles) {
  std::vector<v1::VpnProfile> profiles;
  for (int i = 0; i < 65; ++i) profiles.push_back(Valid(absl::StrCat("p", i)));
  EXPECT_THAT(ValidateVpnProfiles(profiles).message(),
              HasSubstr("at most 64 VPN profiles"));
  profiles.pop_back();
  EXPECT_TRUE(ValidateVpnProfiles(profiles).ok());
}

TEST(VpnProfileValidationTest, LongIdIsCutInTheMessage) {
  absl::Status s = ValidateVpnProfiles({Valid(std::string(5000, 'x'))});
  ASSERT_FALSE(s.ok());
  EXPECT_LT(s.message().size(), 200u);
}

TEST(ValidateSha256FingerprintTest, WantsExactly64LowerCaseHexDigits) {
  EXPECT_TRUE(ValidateSha256Fingerprint(std::string(64, 'f')).ok());
  EXPECT_FALSE(ValidateSha256Fingerprint(std::string(63, 'f')).ok());
  EXPECT_FALSE(ValidateSha256Fingerprint(std::string(65, 'f')).ok());
  EXPECT_FALSE(ValidateSha256Fingerprint(std::string(64, 'g')).ok());
  EXPECT_FALSE(ValidateSha256Fingerprint("").ok());
}

v1::VpnProfile Targeted(const std::string& id,
                        std::vector<v1::Platform> platforms,
                        std::vector<v1::Ownership> ownership,
                        std::vector<std::string> groups) {
  v1::VpnProfile p = Valid(id);
  for (auto x : platforms) p.mutable_applies_to()->add_platforms(x);
  for (auto x : ownership) p.mutable_applies_to()->add_ownership(x);
  for (auto& x : groups) p.mutable_applies_to()->add_groups(x);
  return p;
}

TEST(SelectVpnProfileTest, FirstMatchingProfileInBundleOrderWins) {
  v1::PolicyBundle bundle;
  *bundle.add_vpn_profiles() =
      Targeted("finance-laptops", {v1::PLATFORM_WINDOWS, v1::PLATFORM_MACOS},
               {v1::OWNERSHIP_CORPORATE}, {"finance"});
  *bundle.add_vpn_profiles() =
      Targeted("byod", {}, {v1::OWNERSHIP_PERSONAL}, {});
  *bundle.add_vpn_profiles() = Targeted("everyone", {}, {}, {});
  *bundle.add_vpn_profiles() = Targeted("never-reached", {}, {}, {"finance"});

  auto pick = [&](v1::Platform platform, v1::Ownership ownership,
                  const std::string& group) -> std::string {
    const v1::VpnProfile* p =
        SelectVpnProfile(bundle, platform, ownership, group);
    return p == nullptr ? "none" : p->id();
  };
  EXPECT_EQ(pick(v1::PLATFORM_WINDOWS, v1::OWNERSHIP_CORPORATE, "finance"),
            "finance-laptops");
  EXPECT_EQ(pick(v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "finance"),
            "everyone");
  EXPECT_EQ(pick(v1::PLATFORM_MACOS, v1::OWNERSHIP_CORPORATE, "staff"),
            "everyone");
  EXPECT_EQ(pick(v1::PLATFORM_MACOS, v1::OWNERSHIP_PERSONAL, "finance"),
            "byod");
}

TEST(SelectVpnProfileTest, NoneWhenNothingMatches) {
  v1::PolicyBundle bundle;
  EXPECT_EQ(SelectVpnProfile(bundle, v1::PLATFORM_LINUX,
                             v1::OWNERSHIP_CORPORATE, "staff"),
            nullptr);
  *bundle.add_vpn_profiles() =
      Targeted("corp", {}, {v1::OWNERSHIP_CORPORATE}, {});
  EXPECT_EQ(SelectVpnProfile(bundle, v1::PLATFORM_LINUX, v1::OWNERSHIP_PERSONAL,
                             "staff"),
            nullptr);
}

TEST(SelectVpnProfileTest, PointsIntoTheBundle) {
  v1::PolicyBundle bundle;
  *bundle.add_vpn_profiles() = Valid("only");
  EXPECT_EQ(
      SelectVpnProfile(bundle, v1::PLATFORM_IOS, v1::OWNERSHIP_PERSONAL, ""),
      &bundle.vpn_profiles(0));
}

}  // namespace
}  // namespace trellis::policy
