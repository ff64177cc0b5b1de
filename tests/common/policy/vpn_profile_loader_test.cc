#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/policy/policy_loader.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=";
constexpr char kFingerprint[] =
    "fc622dd095d0eeeeccc830084a74444e72d49ee0c2080a01d1195dd2931e7842";

// Line numbers matter: the error cases below replace one line of this.
constexpr char kGood[] = R"(vpn_profile:
  id: remote-access
  title: Council remote access
  applies_to: {platforms: [linux, windows], ownership: [corporate], groups: [staff]}
  gateway:
    endpoint: vpn.council.example:51820
    public_key: 6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=
  routes: [10.10.0.0/16, 192.168.50.0/24, "fd00:10::/32"]
  dns: {servers: [10.10.0.53, "fd00:10::53"], search_domains: [corp.council.example]}
  keepalive: 25s
  mode: untrusted-only
  trusted_networks:
    dns_search_domains: [corp.council.example]
    beacons:
      - address: beacon.corp.council.example:443
        sha256: fc622dd095d0eeeeccc830084a74444e72d49ee0c2080a01d1195dd2931e7842
  remediation_destinations: [10.10.5.0/24]
)";

// kGood with the first occurrence of `from` replaced by `to`. Runs before
// main for the parameter table, so a `from` that is not there yields a
// document no case expects rather than a failed assertion.
std::string Edit(const std::string& from, const std::string& to) {
  std::string yaml = kGood;
  size_t at = yaml.find(from);
  if (at == std::string::npos) return absl::StrCat("edit not found: ", from);
  yaml.replace(at, from.size(), to);
  return yaml;
}

TEST(VpnProfileLoaderTest, ParsesEveryField) {
  auto p = ParseVpnProfileYaml(kGood, "vpn.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->id(), "remote-access");
  EXPECT_EQ(p->title(), "Council remote access");
  EXPECT_THAT(p->applies_to().platforms(),
              ElementsAre(v1::PLATFORM_LINUX, v1::PLATFORM_WINDOWS));
  EXPECT_THAT(p->applies_to().ownership(),
              ElementsAre(v1::OWNERSHIP_CORPORATE));
  EXPECT_THAT(p->applies_to().groups(), ElementsAre("staff"));
  EXPECT_EQ(p->gateway_endpoint(), "vpn.council.example:51820");
  EXPECT_EQ(p->gateway_public_key(), kKey);
  EXPECT_THAT(p->routes(),
              ElementsAre("10.10.0.0/16", "192.168.50.0/24", "fd00:10::/32"));
  EXPECT_THAT(p->dns_servers(), ElementsAre("10.10.0.53", "fd00:10::53"));
  EXPECT_THAT(p->dns_search_domains(), ElementsAre("corp.council.example"));
  EXPECT_EQ(p->persistent_keepalive_seconds(), 25);
  EXPECT_EQ(p->mode(), v1::VPN_MODE_UNTRUSTED_ONLY);
  EXPECT_THAT(p->trusted_networks().dns_search_domains(),
              ElementsAre("corp.council.example"));
  ASSERT_EQ(p->trusted_networks().beacons_size(), 1);
  EXPECT_EQ(p->trusted_networks().beacons(0).address(),
            "beacon.corp.council.example:443");
  EXPECT_EQ(p->trusted_networks().beacons(0).sha256_fingerprint(),
            kFingerprint);
  EXPECT_THAT(p->remediation_destinations(), ElementsAre("10.10.5.0/24"));
}

TEST(VpnProfileLoaderTest, OptionalPartsMayBeLeftOut) {
  auto p = ParseVpnProfileYaml(
      absl::StrCat("vpn_profile:\n  id: full\n  title: Full tunnel\n"
                   "  gateway: {endpoint: \"[2001:db8::1]:51820\", "
                   "public_key: ",
                   kKey,
                   "}\n  routes: [0.0.0.0/0, \"::/0\"]\n"
                   "  mode: always-on\n"),
      "full.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->mode(), v1::VPN_MODE_ALWAYS_ON);
  EXPECT_EQ(p->persistent_keepalive_seconds(), 0);
  EXPECT_EQ(p->applies_to().platforms_size(), 0);
  EXPECT_FALSE(p->has_trusted_networks());
  EXPECT_EQ(p->remediation_destinations_size(), 0);
}

TEST(VpnProfileLoaderTest, FingerprintAsOpensslPrintsItIsStoredCanonically) {
  std::string colons;
  for (size_t i = 0; i < 64; i += 2) {
    if (i > 0) colons += ":";
    colons += absl::AsciiStrToUpper(std::string(kFingerprint).substr(i, 2));
  }
  auto p = ParseVpnProfileYaml(Edit(kFingerprint, colons), "vpn.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->trusted_networks().beacons(0).sha256_fingerprint(),
            kFingerprint);
}

TEST(VpnProfileLoaderTest, KeepaliveTakesPlainSecondsAndZero) {
  auto minutes = ParseVpnProfileYaml(Edit("25s", "2m"), "vpn.yaml");
  ASSERT_TRUE(minutes.ok()) << minutes.status();
  EXPECT_EQ(minutes->persistent_keepalive_seconds(), 120);
  auto off = ParseVpnProfileYaml(Edit("25s", "0"), "vpn.yaml");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->persistent_keepalive_seconds(), 0);
}

struct BadCase {
  const char* name;
  std::string yaml;
  const char* expected;  // "file:line:col: reason" fragment
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadVpnProfileTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadVpnProfileTest, IsRefusedWithPosition) {
  auto p = ParseVpnProfileYaml(GetParam().yaml, "vpn.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr(GetParam().expected))
      << p.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadVpnProfileTest,
    ::testing::Values(
        BadCase{"UnknownKey", Edit("  keepalive:", "  keepalve:"),
                "vpn.yaml:10:3: unknown key 'keepalve'"},
        BadCase{"UnknownTopLevelKey",
                Edit("vpn_profile:\n", "id: x\nvpn_profile:\n"),
                "vpn.yaml:1:1: unknown key 'id'; expected one of: "
                "vpn_profile"},
        BadCase{"UnknownGatewayKey", Edit("    endpoint:", "    host:"),
                "vpn.yaml:6:5: unknown key 'host'"},
        BadCase{"ProfileNotAMapping", "vpn_profile: [a]\n",
                "vpn.yaml:1:14: 'vpn_profile' must be a mapping"},
        BadCase{"RoutesNotAList",
                Edit("[10.10.0.0/16, 192.168.50.0/24, "
                     "\"fd00:10::/32\"]",
                     "10.10.0.0/16"),
                "vpn.yaml:8:11: 'routes' must be a list"},
        BadCase{"EmptyRoutes",
                Edit("[10.10.0.0/16, 192.168.50.0/24, \"fd00:10::/32\"]", "[]"),
                "vpn.yaml:8:11: 'routes' must not be empty"},
        BadCase{"BadCidr", Edit("192.168.50.0/24", "192.168.50.0/33"),
                "vpn.yaml:8:26: 'routes': "},
        BadCase{"CidrWithHostBits", Edit("10.10.0.0/16", "10.10.0.1/16"),
                "vpn.yaml:8:12: 'routes': "},
        BadCase{"BadDnsServer", Edit("10.10.0.53", "10.10.0.300"),
                "vpn.yaml:9:19: 'servers': "},
        BadCase{"BadSearchDomain",
                Edit("search_domains: [corp.council",
                     "search_domains: [-corp.council"),
                "vpn.yaml:9:64: 'search_domains': not a DNS name"},
        BadCase{"EndpointWithoutPort",
                Edit("vpn.council.example:51820", "vpn.council.example"),
                "vpn.yaml:6:15: 'endpoint': "},
        BadCase{"EndpointPortOutOfRange",
                Edit("vpn.council.example:51820", "vpn.council.example:65536"),
                "vpn.yaml:6:15: 'endpoint': "},
        BadCase{"BadKey", Edit(kKey, "not-a-key"),
                "vpn.yaml:7:17: 'public_key': WireGuard key must be 44"},
        BadCase{"MissingGateway",
                Edit("  gateway:\n    endpoint: vpn.council.example:51820\n"
                     "    public_key: 6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJ"
                     "GWw=\n",
                     ""),
                "vpn.yaml:2:3: missing key 'gateway'"},
        BadCase{"BadFingerprint", Edit(kFingerprint, "abc123"),
                "vpn.yaml:16:17: 'sha256' must be the certificate's SHA-256 "
                "fingerprint"},
        BadCase{"BadBeaconAddress",
                Edit("beacon.corp.council.example:443",
                     "beacon.corp.council.example:0"),
                "vpn.yaml:15:18: 'address': "},
        BadCase{"BeaconNotAMapping",
                Edit("      - address: beacon.corp.council.example:443\n"
                     "        sha256: ",
                     "      - beacon.corp.council.example:443\n"
                     "      - "),
                "vpn.yaml:15:9: each beacon must be a mapping (address, "
                "sha256)"},
        BadCase{"BadMode", Edit("untrusted-only", "sometimes"),
                "vpn.yaml:11:9: 'mode' must be one of: always-on, "
                "untrusted-only"},
        BadCase{"MissingMode", Edit("  mode: untrusted-only\n", ""),
                "vpn.yaml:2:3: missing key 'mode'"},
        BadCase{"UntrustedOnlyWithoutTrustedNetworks",
                Edit("  trusted_networks:\n    dns_search_domains: "
                     "[corp.council.example]\n    beacons:\n      - address: "
                     "beacon.corp.council.example:443\n        sha256: "
                     "fc622dd095d0eeeeccc830084a74444e72d49ee0c2080a01d1195dd"
                     "2931e7842\n",
                     ""),
                "vpn.yaml:11:9: 'mode: untrusted-only' needs "
                "trusted_networks"},
        BadCase{"KeepaliveTooLong", Edit("25s", "2h"),
                "vpn.yaml:10:14: 'keepalive' must be a duration like 25s"},
        BadCase{"KeepaliveNotADuration", Edit("25s", "often"),
                "vpn.yaml:10:14: 'keepalive' must be a duration"},
        BadCase{"BadId", Edit("id: remote-access", "id: Remote Access"),
                "vpn.yaml:2:7: vpn profile id 'Remote Access' must be "
                "lower-case"},
        BadCase{"WrongTypeTitle",
                Edit("title: Council remote access", "title: [a, b]"),
                "vpn.yaml:3:10: 'title' must be text"},
        BadCase{"UnknownPlatform", Edit("[linux, windows]", "[linux, beos]"),
                "vpn.yaml:4:35: 'platforms' entries must be one of"},
        BadCase{"RemediationNotCidr", Edit("[10.10.5.0/24]", "[updates]"),
                "vpn.yaml:17:30: 'remediation_destinations': "},
        BadCase{"TooManyRoutes",
                Edit("[10.10.0.0/16, 192.168.50.0/24, \"fd00:10::/32\"]",
                     [] {
                       std::string list = "[";
                       for (int i = 0; i < 65; ++i) {
                         list +=
                             absl::StrCat(i ? ", " : "", "10.", i, ".0.0/16");
                       }
                       return list + "]";
                     }()),
                "vpn.yaml:8:11: 'routes' has 65 entries; at most 64"},
        BadCase{"YamlSyntax", "vpn_profile: {id: [\n",
                "vpn.yaml:2:1: YAML syntax"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(VpnProfileLoaderTest, ReportsEveryErrorNotJustTheFirst) {
  std::string yaml = absl::StrReplaceAll(
      kGood, {{"10.10.0.53", "10.10.0.300"}, {"25s", "forever"}});
  auto p = ParseVpnProfileYaml(yaml, "two.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("two.yaml:9:19: 'servers'"));
  EXPECT_THAT(p.status().message(), HasSubstr("two.yaml:10:14: 'keepalive'"));
}

TEST(VpnProfileLoaderTest, PolicyParserRefusesAProfileAndViceVersa) {
  auto as_policy = ParsePolicyYaml(kGood, "vpn.yaml");
  ASSERT_FALSE(as_policy.ok());
  EXPECT_THAT(as_policy.status().message(),
              HasSubstr("vpn.yaml: this is a VPN profile"));
  auto as_profile = ParseVpnProfileYaml("id: x\ntitle: X\n", "p.yaml");
  ASSERT_FALSE(as_profile.ok());
  EXPECT_THAT(as_profile.status().message(),
              HasSubstr("p.yaml: not a VPN profile"));
}

constexpr char kPolicy[] = R"(id: demo
title: Demo
enforcement: warn
checks:
  - id: fw
    title: Firewall on
    query: SELECT 1 FROM firewall WHERE enabled
)";

TEST(PolicySetLoaderTest, DirectoryHoldsPoliciesAndProfiles) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a-policy.yaml"), kPolicy).ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("b-vpn.yml"), kGood).ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->policies.size(), 1u);
  EXPECT_EQ(set->policies[0].id(), "demo");
  ASSERT_EQ(set->vpn_profiles.size(), 1u);
  EXPECT_EQ(set->vpn_profiles[0].id(), "remote-access");
  // LoadPolicies gives the policies alone.
  auto policies = LoadPolicies(dir.path());
  ASSERT_TRUE(policies.ok()) << policies.status();
  ASSERT_EQ(policies->size(), 1u);
}

TEST(PolicySetLoaderTest, ProfilesKeepFileNameOrder) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("b.yaml"), kGood).ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"),
                              Edit("id: remote-access", "id: staff-first"))
                  .ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->vpn_profiles.size(), 2u);
  EXPECT_EQ(set->vpn_profiles[0].id(), "staff-first");
  EXPECT_EQ(set->vpn_profiles[1].id(), "remote-access");
}

TEST(PolicySetLoaderTest, DuplicateProfileIdsAcrossFilesAreRefused) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kGood).ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("b.yaml"), kGood).ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(),
              HasSubstr(absl::StrCat(dir.File("b.yaml"),
                                     ":2:7: vpn profile id 'remote-access' is "
                                     "already used by ",
                                     dir.File("a.yaml"))));
}

TEST(PolicySetLoaderTest, APolicyAndAProfileMayShareAnId) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kPolicy).ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir.File("b.yaml"), Edit("id: remote-access", "id: demo"))
          .ok());
  EXPECT_TRUE(LoadPolicySet(dir.path()).ok());
}

TEST(PolicySetLoaderTest, BrokenProfileFailsLoadPoliciesToo) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kPolicy).ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir.File("b.yaml"), Edit("untrusted-only", "never"))
          .ok());
  auto policies = LoadPolicies(dir.path());
  ASSERT_FALSE(policies.ok());
  EXPECT_THAT(policies.status().message(), HasSubstr("b.yaml:11:9: 'mode'"));
}

TEST(PolicySetLoaderTest, ErrorsFromEveryFileAreReported) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"),
                              absl::StrCat(kPolicy, "    colour: red\n"))
                  .ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir.File("b.yaml"), Edit("10.10.0.53", "dns.example"))
          .ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("a.yaml:8:5: unknown key"));
  EXPECT_THAT(set.status().message(), HasSubstr("b.yaml:9:19: 'servers'"));
}

TEST(PolicySetLoaderTest, ShippedPacksAndProfileLoad) {
  auto set = LoadPolicySet(std::string(TRELLIS_SOURCE_DIR) + "/policies");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->policies.size(), 3u);
  ASSERT_EQ(set->vpn_profiles.size(), 1u);
  EXPECT_EQ(set->vpn_profiles[0].id(), "remote-access");
  EXPECT_THAT(set->vpn_profiles[0].routes(), Not(::testing::IsEmpty()));
}

}  // namespace
}  // namespace trellis::policy
