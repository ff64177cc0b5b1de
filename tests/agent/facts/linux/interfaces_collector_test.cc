#include "agent/facts/linux/interfaces_collector.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/linux/fake_system_b.h"

namespace trellis::agent::linux_facts {
namespace {

using linux_b_testing::Cell;
using linux_b_testing::FakeSystemB;
using linux_b_testing::Fixture;
using linux_b_testing::Rows;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string Kind(const InterfaceEvidence& e) {
  return ClassifyInterface(e).value_or("NULL");
}

TEST(LinuxInterfacesParseTest, ClassifiesByEvidence) {
  InterfaceEvidence e;
  EXPECT_EQ(Kind(e), "NULL");  // nothing known: no guess
  e.arphrd_type = 1;
  EXPECT_EQ(Kind(e), "ether");
  e.arphrd_type = 772;
  EXPECT_EQ(Kind(e), "loopback");
  e.arphrd_type = 65534;
  EXPECT_EQ(Kind(e), "other");
  e.arphrd_type = 280;  // CAN bus
  EXPECT_EQ(Kind(e), "other");

  InterfaceEvidence wifi;
  wifi.arphrd_type = 1;
  wifi.wireless = true;
  EXPECT_EQ(Kind(wifi), "wireless");
  wifi.wireless = false;
  wifi.uevent = "DEVTYPE=wlan\nINTERFACE=wlan0\n";
  EXPECT_EQ(Kind(wifi), "wireless");

  InterfaceEvidence tun;
  tun.arphrd_type = 65534;
  tun.tun_flags = true;
  EXPECT_EQ(Kind(tun), "tun");
  InterfaceEvidence tap;  // OpenVPN tap: ethernet framing, still tun/tap
  tap.arphrd_type = 1;
  tap.link_kind = "tun";
  EXPECT_EQ(Kind(tap), "tun");

  InterfaceEvidence wg;
  wg.arphrd_type = 65534;
  wg.uevent = "DEVTYPE=wireguard\nINTERFACE=wg0\nIFINDEX=5\n";
  EXPECT_EQ(Kind(wg), "wireguard");
  InterfaceEvidence wg_kind;
  wg_kind.link_kind = "wireguard";
  EXPECT_EQ(Kind(wg_kind), "wireguard");
  // wireguard-go runs on a tun device; its control socket gives it away.
  InterfaceEvidence wg_go = tun;
  wg_go.link_kind = "tun";
  wg_go.wireguard_go_socket = true;
  EXPECT_EQ(Kind(wg_go), "wireguard");
}

TEST(LinuxInterfacesParseTest, SysfsFiles) {
  EXPECT_EQ(ParseInterfaceFlagsUp("0x1003\n"), true);
  EXPECT_EQ(ParseInterfaceFlagsUp("0x9\n"), true);
  EXPECT_EQ(ParseInterfaceFlagsUp("0x1002\n"), false);
  EXPECT_EQ(ParseInterfaceFlagsUp("0x1090"), false);
  EXPECT_EQ(ParseInterfaceFlagsUp("1003\n"), std::nullopt);
  EXPECT_EQ(ParseInterfaceFlagsUp("0xZZ\n"), std::nullopt);
  EXPECT_EQ(ParseInterfaceFlagsUp(""), std::nullopt);
  EXPECT_EQ(ParseArphrdType("772\n"), 772);
  EXPECT_EQ(ParseArphrdType("65534\n"), 65534);
  EXPECT_EQ(ParseArphrdType("\n"), std::nullopt);
  EXPECT_EQ(ParseArphrdType("ether"), std::nullopt);
  EXPECT_EQ(ParseMacAddress("a4:c3:f0:85:19:6e\n"), "a4:c3:f0:85:19:6e");
  EXPECT_EQ(ParseMacAddress("\n"), std::nullopt);
}

TEST(LinuxInterfacesParseTest, IpAddrJsonFromALaptop) {
  auto m = ParseIpAddrJson(Fixture("interfaces/laptop_ip_addr.json"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->size(), 7u);
  EXPECT_THAT(m->at("lo"), ElementsAre("127.0.0.1/8", "::1/128"));
  EXPECT_THAT(m->at("wlp2s0"),
              ElementsAre("192.168.1.100/24", "2001:db8:1234::42/64",
                          "fe80::1a2b:3cff:fe4d:5e6f/64"));
  EXPECT_THAT(m->at("enp0s31f6"), IsEmpty());
  EXPECT_THAT(m->at("trellis0"), IsEmpty());
}

TEST(LinuxInterfacesParseTest, IpAddrJsonRecordedOnThisBuildContainer) {
  auto m = ParseIpAddrJson(Fixture("interfaces/container_ip_addr.json"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(m->at("eth0"), ElementsAre("192.0.2.2/24", "fd00::2/64",
                                         "fe80::fc:ff:fe00:1/64"));
  EXPECT_THAT(m->at("ifb0"), IsEmpty());
  EXPECT_THAT(m->at("lo"), ElementsAre("127.0.0.1/8", "::1/128"));
}

TEST(LinuxInterfacesParseTest, OddIpAddrJson) {
  EXPECT_FALSE(
      ParseIpAddrJson(Fixture("interfaces/ip_addr_truncated.json")).ok());
  EXPECT_FALSE(
      ParseIpAddrJson(Fixture("interfaces/ip_addr_not_a_list.json")).ok());
  EXPECT_FALSE(ParseIpAddrJson("").ok());
  auto empty = ParseIpAddrJson(Fixture("interfaces/ip_addr_empty_list.json"));
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, IsEmpty());
  // Addresses without local or numeric prefixlen and links without a name
  // are skipped.
  auto odd = ParseIpAddrJson(Fixture("interfaces/ip_addr_odd.json"));
  ASSERT_TRUE(odd.ok()) << odd.status();
  EXPECT_THAT(*odd,
              UnorderedElementsAre(Pair("veth1", ElementsAre("10.0.0.11/24")),
                                   Pair("noinfo", IsEmpty())));
}

TEST(LinuxInterfacesParseTest, LinkKinds) {
  auto k = ParseIpLinkKinds(Fixture("interfaces/laptop_ip_link_detail.json"));
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_THAT(*k, UnorderedElementsAre(
                      Pair("docker0", "bridge"), Pair("wg0", "wireguard"),
                      Pair("tun0", "tun"), Pair("trellis0", "tun")));
  auto c =
      ParseIpLinkKinds(Fixture("interfaces/container_ip_link_detail.json"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(*c,
              UnorderedElementsAre(Pair("ifb0", "ifb"), Pair("ifb1", "ifb")));
  EXPECT_FALSE(ParseIpLinkKinds("[{\"ifname\":").ok());
}

TEST(LinuxInterfacesParseTest, WireguardGoSockets) {
  EXPECT_THAT(WireguardGoInterfaces({".sock", "README", "trellis0.sock",
                                     "wg1.sock", "wg2.socket"}),
              ElementsAre("trellis0", "wg1"));
}

TEST(LinuxInterfacesParseTest, TableWithoutAddressesHasOneRowPerInterface) {
  std::vector<InterfaceInfo> ifs = {
      {"lo", "00:00:00:00:00:00", true, "loopback"},
      {"wg0", std::nullopt, std::nullopt, std::nullopt}};
  v1::FactTable t = InterfacesTable(ifs, std::nullopt);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_THAT(Rows(t), ElementsAre("lo|00:00:00:00:00:00|NULL|true|loopback",
                                   "wg0|NULL|NULL|NULL|NULL"));
}

class LinuxInterfacesCollectTest : public ::testing::Test {
 protected:
  LinuxInterfacesCollectTest() { system_.LoadTree("interfaces/laptop"); }
  void SetIp() {
    runner_.Set("ip -j addr show",
                {0, Fixture("interfaces/laptop_ip_addr.json"), ""});
    runner_.Set("ip -j -d link show",
                {0, Fixture("interfaces/laptop_ip_link_detail.json"), ""});
  }
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewInterfacesCollector()->Collect(ctx);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxInterfacesCollectTest, OneRowPerAddress) {
  SetIp();
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewInterfacesCollector()->table(), "interfaces");
  EXPECT_THAT(
      Rows(t),
      ElementsAre("docker0|02:42:6b:1f:09:3c|172.17.0.1/16|true|ether",
                  "enp0s31f6|8c:16:45:2a:7b:01|NULL|true|ether",
                  "lo|00:00:00:00:00:00|127.0.0.1/8|true|loopback",
                  "lo|00:00:00:00:00:00|::1/128|true|loopback",
                  "trellis0|NULL|NULL|false|wireguard",
                  "tun0|NULL|10.211.1.6/24|true|tun",
                  "tun0|NULL|fe80::7c3a:91ff:1e2d:4b5a/64|true|tun",
                  "wg0|NULL|10.8.0.2/24|true|wireguard",
                  "wlp2s0|a4:c3:f0:85:19:6e|192.168.1.100/24|true|wireless",
                  "wlp2s0|a4:c3:f0:85:19:6e|2001:db8:1234::42/64|true|wireless",
                  "wlp2s0|a4:c3:f0:85:19:6e|fe80::1a2b:3cff:fe4d:5e6f/64|true|"
                  "wireless"));
  EXPECT_THAT(runner_.calls(),
              UnorderedElementsAre("ip -j addr show", "ip -j -d link show"));
}

TEST_F(LinuxInterfacesCollectTest, WithoutIpAddressesAreNull) {
  // No ip at all (FakeCommandRunner answers NotFound, as for a missing
  // program): the interfaces still come from sysfs.
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_THAT(
      Rows(t),
      ElementsAre("docker0|02:42:6b:1f:09:3c|NULL|true|ether",
                  "enp0s31f6|8c:16:45:2a:7b:01|NULL|true|ether",
                  "lo|00:00:00:00:00:00|NULL|true|loopback",
                  "trellis0|NULL|NULL|false|wireguard",
                  "tun0|NULL|NULL|true|tun", "wg0|NULL|NULL|true|wireguard",
                  "wlp2s0|a4:c3:f0:85:19:6e|NULL|true|wireless"));
}

TEST_F(LinuxInterfacesCollectTest, FailingOrGarbledIpIsLikeNoIp) {
  runner_.Set("ip -j addr show", {1, "", "RTNETLINK answers: denied"});
  runner_.SetError("ip -j -d link show",
                   absl::DeadlineExceededError("ip did not finish"));
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 7);
  EXPECT_EQ(Cell(t, "address", 2), "NULL");

  runner_.Set("ip -j addr show",
              {0, Fixture("interfaces/ip_addr_truncated.json"), ""});
  t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 7);
}

TEST_F(LinuxInterfacesCollectTest, TunWithoutWireguardGoSocketIsTun) {
  system_.RemoveFile("/var/run/wireguard/trellis0.sock");
  v1::FactTable t = Collect();
  EXPECT_THAT(Rows(t), Contains("trellis0|NULL|NULL|false|tun"));
}

TEST_F(LinuxInterfacesCollectTest, UnreadableFlagsFallBackToOperstate) {
  system_.RemoveFile("/sys/class/net/wlp2s0/flags");
  system_.RemoveFile("/sys/class/net/enp0s31f6/flags");
  v1::FactTable t = Collect();
  // wlp2s0's operstate is up; enp0s31f6's "down" says nothing about the
  // administrative state.
  EXPECT_THAT(Rows(t), Contains("wlp2s0|a4:c3:f0:85:19:6e|NULL|true|wireless"));
  EXPECT_THAT(Rows(t), Contains("enp0s31f6|8c:16:45:2a:7b:01|NULL|NULL|ether"));
}

TEST_F(LinuxInterfacesCollectTest, UnlistableSysClassNetIsUnknown) {
  SetIp();
  system_.SetError("/sys/class/net",
                   absl::NotFoundError("cannot list /sys/class/net: denied"));
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/sys/class/net"));
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST(LinuxInterfacesRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewInterfacesCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "interfaces: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // Every network namespace has a loopback interface.
  bool lo = false;
  for (int r = 0; r < t.rows_size(); ++r) {
    lo |= Cell(t, "name", r) == "lo" && Cell(t, "type", r) == "loopback";
  }
  EXPECT_TRUE(lo);
  std::cout << "interfaces: " << t.rows_size() << " rows\n";
  for (const std::string& row : Rows(t)) std::cout << "  " << row << "\n";
}

}  // namespace
}  // namespace trellis::agent::linux_facts
