#include "agent/vpn/trusted_network.h"

#include "absl/strings/ascii.h"
#include "common/util/encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using vpn_testing::FakeProber;
using vpn_testing::FakeSystem;

const std::string kDigest(32, '\x5a');

TEST(MatchSearchDomainTest, WholeDomainsCaseInsensitive) {
  EXPECT_EQ(*MatchSearchDomain({"home.lan", "corp.example"}, {"CORP.example."}),
            "corp.example");
  EXPECT_FALSE(MatchSearchDomain({"x.corp.example"}, {"corp.example"}));
  EXPECT_FALSE(MatchSearchDomain({"corp.example"}, {"x.corp.example"}));
  EXPECT_FALSE(MatchSearchDomain({"corp.example.evil"}, {"corp.example"}));
  EXPECT_FALSE(MatchSearchDomain({}, {"corp.example"}));
  EXPECT_FALSE(
      MatchSearchDomain({"corp.example"}, {"corp.example"}, {"Corp.Example"}));
}

TEST(FingerprintTest, CaseAndSeparatorsDoNotMatter) {
  std::string hex = HexEncode(kDigest);
  EXPECT_TRUE(FingerprintMatches(hex, kDigest));
  EXPECT_TRUE(FingerprintMatches(absl::AsciiStrToUpper(hex), kDigest));
  std::string colons;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) colons += ':';
    colons += hex.substr(i, 2);
  }
  EXPECT_TRUE(FingerprintMatches(colons, kDigest));
  EXPECT_FALSE(FingerprintMatches(hex, std::string(32, '\x5b')));
  EXPECT_FALSE(FingerprintMatches(hex.substr(2), kDigest));
  EXPECT_FALSE(FingerprintMatches("", kDigest));
}

class DetectTest : public ::testing::Test {
 protected:
  v1::TrustedNetworks Networks() {
    v1::TrustedNetworks n;
    n.add_dns_search_domains("corp.example");
    v1::TlsBeacon* b = n.add_beacons();
    b->set_address("beacon.corp.example:443");
    b->set_sha256_fingerprint(HexEncode(kDigest));
    return n;
  }
  TrustedNetworkResult Detect(const TrustedNetworkOptions& options = {}) {
    return DetectTrustedNetwork(Networks(), system_, prober_, options);
  }
  FakeSystem system_;
  FakeProber prober_;
};

TEST_F(DetectTest, SearchDomainProvesIt) {
  system_.files["/etc/resolv.conf"] = "search corp.example\n";
  TrustedNetworkResult r = Detect();
  EXPECT_TRUE(r.evaluated);
  EXPECT_TRUE(r.trusted);
  EXPECT_EQ(r.detail, "corp.example (DNS search domain)");
  EXPECT_THAT(prober_.probed, IsEmpty());
}

TEST_F(DetectTest, BeaconProvesIt) {
  system_.files["/etc/resolv.conf"] = "search home.lan\n";
  prober_.answers["beacon.corp.example:443"] = kDigest;
  TrustedNetworkResult r = Detect();
  EXPECT_TRUE(r.trusted);
  EXPECT_EQ(r.detail, "beacon.corp.example:443 (TLS beacon)");
  EXPECT_THAT(prober_.probed, ElementsAre("beacon.corp.example:443"));
}

TEST_F(DetectTest, WrongCertificateOrNoAnswerIsUntrusted) {
  system_.files["/etc/resolv.conf"] = "search home.lan\n";
  prober_.answers["beacon.corp.example:443"] = std::string(32, '\x01');
  TrustedNetworkResult r = Detect();
  EXPECT_FALSE(r.trusted);
  EXPECT_THAT(r.detail, HasSubstr("search domains: home.lan"));
  EXPECT_THAT(r.detail, HasSubstr("does not match the pin"));
  prober_.answers.clear();
  EXPECT_THAT(Detect().detail, HasSubstr("cannot connect"));
}

TEST_F(DetectTest, MissingResolvConfIsNotAnError) {
  TrustedNetworkResult r = Detect();
  EXPECT_TRUE(r.evaluated);
  EXPECT_FALSE(r.trusted);
  EXPECT_THAT(r.detail, HasSubstr("resolv.conf"));
}

TEST_F(DetectTest, OwnTunnelIsNoProof) {
  system_.files["/etc/resolv.conf"] = "search corp.example\n";
  prober_.answers["beacon.corp.example:443"] = kDigest;
  TrustedNetworkOptions options;
  options.probe_beacons = false;
  options.ignored_domains = {"corp.example"};
  TrustedNetworkResult r = Detect(options);
  EXPECT_FALSE(r.trusted);
  EXPECT_THAT(prober_.probed, IsEmpty());
  EXPECT_THAT(r.detail, HasSubstr("not probed while the tunnel is up"));
}

TEST_F(DetectTest, NoTrustedNetworksNamed) {
  TrustedNetworkResult r =
      DetectTrustedNetwork(v1::TrustedNetworks(), system_, prober_, {});
  EXPECT_FALSE(r.evaluated);
  EXPECT_FALSE(r.trusted);
}

}  // namespace
}  // namespace trellis::agent
