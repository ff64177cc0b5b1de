#include "common/policy/policy_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

v1::CheckResult Result(v1::CheckState state) {
  v1::CheckResult r;
  r.set_state(state);
  return r;
}

TEST(CheckStateTextTest, PlainStatesAreTheirWord) {
  EXPECT_EQ(CheckStateText(Result(v1::CHECK_STATE_PASS)), "pass");
  EXPECT_EQ(CheckStateText(Result(v1::CHECK_STATE_FAIL)), "fail");
  EXPECT_EQ(CheckStateText(Result(v1::CHECK_STATE_ERROR)), "error");
  EXPECT_EQ(CheckStateText(Result(v1::CHECK_STATE_NOT_APPLICABLE)), "n/a");
}

TEST(CheckStateTextTest, ExceptedFailureSaysUntilWhenAndWhy) {
  v1::CheckResult r = Result(v1::CHECK_STATE_FAIL);
  r.mutable_excepted_until()->set_seconds(1796083200);  // 2026-12-01
  r.set_exception_reason("new laptop on order");
  EXPECT_EQ(CheckStateText(r),
            "fail (excepted until 2026-12-01T00:00:00Z: new laptop on order)");
  r.clear_exception_reason();
  EXPECT_EQ(CheckStateText(r), "fail (excepted until 2026-12-01T00:00:00Z)");
  r.set_state(v1::CHECK_STATE_ERROR);
  EXPECT_THAT(CheckStateText(r), HasSubstr("error (excepted until"));
}

TEST(CheckStateTextTest, ExceptionOnAPassingCheckIsNotShown) {
  v1::CheckResult r = Result(v1::CHECK_STATE_PASS);
  r.mutable_excepted_until()->set_seconds(1796083200);
  EXPECT_EQ(CheckStateText(r), "pass");
}

TEST(VpnWordsTest, ModesAndAccess) {
  EXPECT_STREQ(VpnModeWord(v1::VPN_MODE_ALWAYS_ON), "always-on");
  EXPECT_STREQ(VpnModeWord(v1::VPN_MODE_UNTRUSTED_ONLY), "untrusted-only");
  EXPECT_STREQ(VpnModeWord(v1::VPN_MODE_UNSPECIFIED), "-");
  EXPECT_STREQ(VpnAccessWord(v1::VPN_ACCESS_NONE), "none");
  EXPECT_STREQ(VpnAccessWord(v1::VPN_ACCESS_FULL), "full");
  EXPECT_STREQ(VpnAccessWord(v1::VPN_ACCESS_QUARANTINE), "quarantine");
  EXPECT_STREQ(VpnAccessWord(v1::VPN_ACCESS_UNSPECIFIED), "-");
}

TEST(AppliesToTextTest, NamesEachNonEmptyPart) {
  v1::AppliesTo a;
  EXPECT_EQ(AppliesToText(a), "any device");
  a.add_platforms(v1::PLATFORM_LINUX);
  a.add_platforms(v1::PLATFORM_MACOS);
  EXPECT_EQ(AppliesToText(a), "linux, macos");
  a.add_ownership(v1::OWNERSHIP_CORPORATE);
  a.add_groups("staff");
  a.add_groups("finance");
  EXPECT_EQ(AppliesToText(a), "linux, macos; corporate; groups staff, finance");
}

TEST(DescribeVpnProfileTest, ShowsEveryField) {
  v1::VpnProfile p;
  p.set_id("remote");
  p.set_title("Remote access");
  p.mutable_applies_to()->add_ownership(v1::OWNERSHIP_CORPORATE);
  p.set_gateway_endpoint("vpn.council.example:51820");
  p.set_gateway_public_key("6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=");
  p.add_routes("10.10.0.0/16");
  p.add_dns_servers("10.10.0.53");
  p.add_dns_search_domains("corp.council.example");
  p.set_persistent_keepalive_seconds(25);
  p.set_mode(v1::VPN_MODE_UNTRUSTED_ONLY);
  p.mutable_trusted_networks()->add_dns_search_domains("corp.council.example");
  v1::TlsBeacon* b = p.mutable_trusted_networks()->add_beacons();
  b->set_address("beacon.corp.council.example:443");
  b->set_sha256_fingerprint(std::string(64, 'a'));
  p.add_remediation_destinations("10.10.5.0/24");
  EXPECT_EQ(DescribeVpnProfile(p),
            "VPN profile remote: Remote access\n"
            "  applies to:   corporate\n"
            "  gateway:      vpn.council.example:51820\n"
            "  gateway key:  6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=\n"
            "  routes:       10.10.0.0/16 (split tunnel)\n"
            "  dns:          10.10.0.53; search corp.council.example\n"
            "  keepalive:    25s\n"
            "  mode:         untrusted-only\n"
            "  trusted when: search domain corp.council.example or beacon "
            "beacon.corp.council.example:443 (sha256 " +
                std::string(64, 'a') +
                ")\n"
                "  quarantine:   10.10.5.0/24\n");
}

TEST(DescribeVpnProfileTest, FullTunnelWithDefaults) {
  v1::VpnProfile p;
  p.set_id("full");
  p.add_routes("0.0.0.0/0");
  p.set_mode(v1::VPN_MODE_ALWAYS_ON);
  std::string text = DescribeVpnProfile(p);
  EXPECT_THAT(text, HasSubstr("routes:       0.0.0.0/0 (full tunnel)\n"));
  EXPECT_THAT(text, HasSubstr("dns:          the device's own\n"));
  EXPECT_THAT(text, HasSubstr("keepalive:    off\n"));
  EXPECT_THAT(text, HasSubstr("trusted when: -\n"));
  EXPECT_THAT(text, HasSubstr("quarantine:   nothing\n"));
}

}  // namespace
}  // namespace trellis::policy
