#include "agent/vpn/linux/linux_tunnel_controller.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent::linux_vpn {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using vpn_testing::FullAssignment;
using vpn_testing::kGatewayKey;
using vpn_testing::kOtherKey;

// Our own key pair as the interface reports it.
constexpr char kOurPrivate[] = "uKyeOOjTcGiDmVWpdMZuL4+XxzXnG2tyUQOjcQkovWo=";
constexpr char kOurPublic[] = "dijv/4N+s5RDB0fcdnImgckNOVQm5a4pej+zA/Ec5DQ=";

constexpr char kDefaultRules[] =
    "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n"
    "32767:\tfrom all lookup default\n";
constexpr char kFullTunnelRules[] =
    "0:\tfrom all lookup local\n"
    "32764:\tfrom all lookup main suppress_prefixlength 0\n"
    "32765:\tnot from all fwmark 0xca6c lookup 51820\n"
    "32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n";
constexpr char kLinkUp[] =
    "7: trellis0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1420 qdisc "
    "pfifo_fast state UNKNOWN mode DEFAULT group default qlen 500\n"
    "    link/none \n";
constexpr char kLinkDown[] =
    "7: trellis0: <POINTOPOINT,MULTICAST,NOARP> mtu 1420 qdisc noop state "
    "DOWN mode DEFAULT group default qlen 500\n    link/none \n";

CommandResult Ok(std::string out = "") { return CommandResult{0, out, ""}; }

TunnelPlan SplitPlan() {
  TrustedNetworkResult untrusted;
  return PlanTunnel(FullAssignment(), untrusted);
}

TunnelPlan FullTunnelPlan() {
  v1::VpnAssignment a = FullAssignment();
  a.mutable_profile()->clear_routes();
  a.mutable_profile()->add_routes("0.0.0.0/0");
  return PlanTunnel(a, TrustedNetworkResult());
}

class LinuxTunnelControllerTest : public ::testing::Test {
 protected:
  LinuxTunnelController Controller() {
    LinuxTunnelOptions options;
    options.interface_name = "trellis0";
    options.private_key_path = "/state/wireguard.key";
    options.public_key = kOurPublic;
    return LinuxTunnelController(&runner_, options);
  }

  void Absent() {
    runner_.Set("ip link show trellis0",
                CommandResult{1, "", "Device \"trellis0\" does not exist.\n"});
  }

  // Every command that changes something succeeds.
  void AllowChanges(const std::vector<std::string>& commands) {
    for (const std::string& c : commands) runner_.Set(c, Ok());
  }

  // The interface exactly as SplitPlan() leaves it.
  void ConfiguredForSplitPlan() {
    runner_.Set("ip link show trellis0", Ok(kLinkUp));
    runner_.Set("wg show trellis0 dump",
                Ok(absl::StrCat(kOurPrivate, "\t", kOurPublic, "\t46690\toff\n",
                                kGatewayKey,
                                "\t(none)\t192.0.2.1:51820\t"
                                "192.168.50.0/24,10.0.0.0/8\t1767225600\t10\t"
                                "20\t25\n")));
    runner_.Set("ip -o addr show dev trellis0",
                Ok("7: trellis0    inet 10.200.0.7/32 scope global trellis0\\"
                   "       valid_lft forever preferred_lft forever\n"));
    runner_.Set("ip -o -4 route show dev trellis0",
                Ok("10.0.0.0/8 scope link \n192.168.50.0/24 scope link \n"));
    runner_.Set("ip -4 rule show", Ok(kDefaultRules));
    runner_.Set("resolvectl dns trellis0",
                Ok("Link 7 (trellis0): 10.0.0.53\n"));
    runner_.Set("resolvectl domain trellis0",
                Ok("Link 7 (trellis0): corp.example\n"));
  }

  FakeCommandRunner runner_;
};

const char kSetPeerSplit[] =
    "peer F/UFbes7VFDv2Gt4VMVnme/snEGDR61pgKlZi2AZEXk= endpoint "
    "vpn.council.example:51820 allowed-ips 10.0.0.0/8,192.168.50.0/24 "
    "persistent-keepalive 25";

TEST_F(LinuxTunnelControllerTest, CreatesAndConfiguresANewInterface) {
  Absent();
  runner_.Set("wg show trellis0 dump", Ok("(none)\t(none)\t0\toff\n"));
  runner_.Set("ip -4 rule show", Ok(kDefaultRules));
  const std::string set_peer = absl::StrCat(
      "wg set trellis0 private-key /state/wireguard.key ", kSetPeerSplit);
  AllowChanges({"wireguard-go trellis0", set_peer,
                "ip address replace 10.200.0.7/32 dev trellis0",
                "ip link set trellis0 up",
                "ip -4 route replace 10.0.0.0/8 dev trellis0",
                "ip -4 route replace 192.168.50.0/24 dev trellis0",
                "resolvectl dns trellis0 10.0.0.53",
                "resolvectl domain trellis0 corp.example"});
  auto result = Controller().Apply(SplitPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->changed);
  EXPECT_THAT(result->notes, IsEmpty());
  EXPECT_THAT(
      runner_.calls(),
      ElementsAre("ip link show trellis0", "wireguard-go trellis0",
                  "wg show trellis0 dump", set_peer,
                  "ip address replace 10.200.0.7/32 dev trellis0",
                  "ip link set trellis0 up",
                  "ip -4 route replace 10.0.0.0/8 dev trellis0",
                  "ip -4 route replace 192.168.50.0/24 dev trellis0",
                  "ip -4 rule show", "resolvectl dns trellis0 10.0.0.53",
                  "resolvectl domain trellis0 corp.example"));
}

TEST_F(LinuxTunnelControllerTest, SamePlanTwiceOnlyReads) {
  ConfiguredForSplitPlan();
  auto result = Controller().Apply(SplitPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->changed);
  EXPECT_THAT(
      runner_.calls(),
      ElementsAre("ip link show trellis0", "wg show trellis0 dump",
                  "ip -o addr show dev trellis0",
                  "ip -o -4 route show dev trellis0", "ip -4 rule show",
                  "resolvectl dns trellis0", "resolvectl domain trellis0"));
}

TEST_F(LinuxTunnelControllerTest, RepairsOnlyWhatDrifted) {
  ConfiguredForSplitPlan();
  runner_.Set("ip link show trellis0", Ok(kLinkDown));
  runner_.Set("wg show trellis0 dump",
              Ok(absl::StrCat(
                  kOurPrivate, "\t", kOurPublic, "\t46690\toff\n", kOtherKey,
                  "\t(none)\t(none)\t10.0.0.0/8\t0\t0\t0\toff\n", kGatewayKey,
                  "\t(none)\t192.0.2.1:51820\t10.0.0.0/8\t0\t0\t0"
                  "\t25\n")));
  runner_.Set("ip -o addr show dev trellis0",
              Ok("7: trellis0    inet 10.200.0.9/32 scope global trellis0\n"));
  runner_.Set("ip -o -4 route show dev trellis0",
              Ok("10.0.0.0/8 scope link \n172.16.0.0/12 scope link \n"));
  const std::string set_peer = absl::StrCat("wg set trellis0 ", kSetPeerSplit);
  const std::string remove_other =
      absl::StrCat("wg set trellis0 peer ", kOtherKey, " remove");
  AllowChanges(
      {set_peer, remove_other, "ip address replace 10.200.0.7/32 dev trellis0",
       "ip address del 10.200.0.9/32 dev trellis0", "ip link set trellis0 up",
       "ip -4 route replace 192.168.50.0/24 dev trellis0",
       "ip -4 route del 172.16.0.0/12 dev trellis0"});
  auto result = Controller().Apply(SplitPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->changed);
  EXPECT_THAT(
      runner_.calls(),
      ElementsAre("ip link show trellis0", "wg show trellis0 dump", set_peer,
                  remove_other, "ip -o addr show dev trellis0",
                  "ip address replace 10.200.0.7/32 dev trellis0",
                  "ip address del 10.200.0.9/32 dev trellis0",
                  "ip link set trellis0 up", "ip -o -4 route show dev trellis0",
                  "ip -4 route replace 192.168.50.0/24 dev trellis0",
                  "ip -4 route del 172.16.0.0/12 dev trellis0",
                  "ip -4 rule show", "resolvectl dns trellis0",
                  "resolvectl domain trellis0"));
}

TEST_F(LinuxTunnelControllerTest, FullTunnelUsesFwmarkTableAndRules) {
  Absent();
  runner_.Set("wg show trellis0 dump", Ok("(none)\t(none)\t0\toff\n"));
  runner_.Set("ip -4 rule show", Ok(kDefaultRules));
  const std::string set_peer = absl::StrCat(
      "wg set trellis0 private-key /state/wireguard.key fwmark 51820 peer ",
      kGatewayKey,
      " endpoint vpn.council.example:51820 allowed-ips 0.0.0.0/0 "
      "persistent-keepalive 25");
  AllowChanges({"wireguard-go trellis0", set_peer,
                "ip address replace 10.200.0.7/32 dev trellis0",
                "ip link set trellis0 up",
                "ip -4 route replace 0.0.0.0/0 dev trellis0 table 51820",
                "sysctl -q -w net.ipv4.conf.all.src_valid_mark=1",
                "ip -4 rule add not fwmark 51820 table 51820",
                "ip -4 rule add table main suppress_prefixlength 0",
                "resolvectl dns trellis0 10.0.0.53",
                "resolvectl domain trellis0 corp.example ~."});
  auto result = Controller().Apply(FullTunnelPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(
      runner_.calls(),
      ElementsAre("ip link show trellis0", "wireguard-go trellis0",
                  "wg show trellis0 dump", set_peer,
                  "ip address replace 10.200.0.7/32 dev trellis0",
                  "ip link set trellis0 up",
                  "ip -4 route replace 0.0.0.0/0 dev trellis0 table 51820",
                  "ip -4 rule show",
                  "sysctl -q -w net.ipv4.conf.all.src_valid_mark=1",
                  "ip -4 rule add not fwmark 51820 table 51820",
                  "ip -4 rule add table main suppress_prefixlength 0",
                  "resolvectl dns trellis0 10.0.0.53",
                  "resolvectl domain trellis0 corp.example ~."));
}

TEST_F(LinuxTunnelControllerTest, FullTunnelInPlaceOnlyReads) {
  ConfiguredForSplitPlan();
  runner_.Set("wg show trellis0 dump",
              Ok(absl::StrCat(kOurPrivate, "\t", kOurPublic,
                              "\t46690\t0xca6c\n", kGatewayKey,
                              "\t(none)\t192.0.2.1:51820\t0.0.0.0/0\t0\t0\t0"
                              "\t25\n")));
  runner_.Set("ip -o -4 route show dev trellis0", Ok(""));
  runner_.Set("ip -o -4 route show table 51820 dev trellis0",
              Ok("default scope link \n"));
  runner_.Set("ip -4 rule show", Ok(kFullTunnelRules));
  runner_.Set("resolvectl domain trellis0",
              Ok("Link 7 (trellis0): corp.example ~.\n"));
  auto result = Controller().Apply(FullTunnelPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->changed);
}

TEST_F(LinuxTunnelControllerTest, DownDeletesInterfaceAndOurRules) {
  runner_.Set("ip link show trellis0", Ok(kLinkUp));
  runner_.Set("ip -4 rule show", Ok(kFullTunnelRules));
  AllowChanges({"ip link del trellis0",
                "ip -4 rule del not fwmark 51820 table 51820",
                "ip -4 rule del table main suppress_prefixlength 0",
                "ip -4 route flush table 51820"});
  TunnelPlan down;
  down.reason = "access removed: firewall-on fails";
  auto result = Controller().Apply(down);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->changed);
  EXPECT_THAT(runner_.calls(),
              ElementsAre("ip link show trellis0", "ip link del trellis0",
                          "ip -4 rule show",
                          "ip -4 rule del not fwmark 51820 table 51820",
                          "ip -4 rule del table main suppress_prefixlength 0",
                          "ip -4 route flush table 51820"));
}

TEST_F(LinuxTunnelControllerTest, DownWhenAlreadyDownOnlyReads) {
  Absent();
  runner_.Set("ip -4 rule show", Ok(kDefaultRules));
  auto result = Controller().Apply(TunnelPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->changed);
  EXPECT_THAT(runner_.calls(),
              ElementsAre("ip link show trellis0", "ip -4 rule show"));
}

TEST_F(LinuxTunnelControllerTest, MissingWireguardGoIsNamed) {
  Absent();
  auto result = Controller().Apply(SplitPlan());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(),
              HasSubstr("wireguard-go is not installed"));
  EXPECT_THAT(result.status().message(), HasSubstr("trellis0"));
}

TEST_F(LinuxTunnelControllerTest, MissingWgAndIpAreNamed) {
  runner_.Set("ip link show trellis0", Ok(kLinkUp));
  auto result = Controller().Apply(SplitPlan());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(),
              HasSubstr("wg is not installed (package wireguard-tools)"));
  FakeCommandRunner empty;
  LinuxTunnelController bare(&empty, LinuxTunnelOptions{});
  EXPECT_THAT(bare.Apply(SplitPlan()).status().message(),
              HasSubstr("ip is not installed (package iproute2)"));
}

TEST_F(LinuxTunnelControllerTest, FailedCommandIsReportedWithItsError) {
  Absent();
  runner_.Set("wireguard-go trellis0",
              CommandResult{1, "",
                            "ERROR: (trellis0) Failed to create TUN "
                            "device: no such file or directory\n"});
  auto result = Controller().Apply(SplitPlan());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(),
              HasSubstr("`wireguard-go trellis0` failed (exit 1): ERROR: "
                        "(trellis0) Failed to create TUN"));
}

TEST_F(LinuxTunnelControllerTest, MalformedDumpIsAnError) {
  runner_.Set("ip link show trellis0", Ok(kLinkUp));
  runner_.Set("wg show trellis0 dump", Ok("garbage\n"));
  auto result = Controller().Apply(SplitPlan());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("wg show dump line 1"));
}

TEST_F(LinuxTunnelControllerTest, DnsWithoutResolvectlIsANoteNotAFailure) {
  ConfiguredForSplitPlan();
  runner_.SetError("resolvectl dns trellis0",
                   absl::NotFoundError("resolvectl is not installed"));
  auto result = Controller().Apply(SplitPlan());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->notes,
              ElementsAre(HasSubstr("DNS not applied: resolvectl is not "
                                    "installed")));
}

TEST_F(LinuxTunnelControllerTest, BadInterfaceNamesAreRefused) {
  EXPECT_TRUE(ValidateInterfaceName("trellis0").ok());
  EXPECT_TRUE(ValidateInterfaceName("abcdefghijklmno").ok());
  for (const char* bad :
       {"", "abcdefghijklmnop", "-x", "tr el", "a/b", "wg0;reboot"}) {
    EXPECT_FALSE(ValidateInterfaceName(bad).ok()) << bad;
  }
  LinuxTunnelOptions options;
  options.interface_name = "much-too-long-name";
  LinuxTunnelController controller(&runner_, options);
  EXPECT_FALSE(controller.Apply(SplitPlan()).ok());
  EXPECT_THAT(runner_.calls(), IsEmpty());
}

TEST_F(LinuxTunnelControllerTest, ObserveReportsStateAndHandshake) {
  ConfiguredForSplitPlan();
  TunnelObservation seen = Controller().Observe();
  EXPECT_TRUE(seen.known);
  EXPECT_TRUE(seen.present);
  EXPECT_TRUE(seen.up);
  EXPECT_EQ(seen.peer_endpoint, "192.0.2.1:51820");
  ASSERT_TRUE(seen.latest_handshake.has_value());
  EXPECT_EQ(*seen.latest_handshake, absl::FromUnixSeconds(1767225600));

  FakeCommandRunner absent;
  absent.Set("ip link show trellis0", CommandResult{1, "", "no device"});
  LinuxTunnelController controller(&absent, LinuxTunnelOptions{});
  seen = controller.Observe();
  EXPECT_TRUE(seen.known);
  EXPECT_FALSE(seen.present);
}

}  // namespace
}  // namespace trellis::agent::linux_vpn
