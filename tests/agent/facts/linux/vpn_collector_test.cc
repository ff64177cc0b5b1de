#include "agent/facts/linux/vpn_collector.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/facts/linux/interfaces_collector.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/linux/fake_system_b.h"

namespace trellis::agent::linux_facts {
namespace {

using linux_b_testing::FakeSystemB;
using linux_b_testing::Fixture;
using linux_b_testing::Rows;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(LinuxVpnParseTest, TrellisTunnelNames) {
  EXPECT_TRUE(IsTrellisTunnel("trellis0"));
  EXPECT_TRUE(IsTrellisTunnel("trellis-test"));
  EXPECT_FALSE(IsTrellisTunnel("wg0"));
  EXPECT_FALSE(IsTrellisTunnel("mytrellis0"));
}

TEST(LinuxVpnParseTest, KeepsOnlyWireguardAndTun) {
  std::vector<InterfaceInfo> ifs = {
      {"lo", "00:00:00:00:00:00", true, "loopback"},
      {"wlp2s0", "a4:c3:f0:85:19:6e", true, "wireless"},
      {"wg0", std::nullopt, true, "wireguard"},
      {"tun0", std::nullopt, std::nullopt, "tun"},
      {"trellis0", std::nullopt, false, "wireguard"},
      {"can0", std::nullopt, true, "other"}};
  v1::FactTable t = VpnTable(ifs);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_THAT(Rows(t),
              ElementsAre("wg0|wireguard|true|false", "tun0|tun|NULL|false",
                          "trellis0|wireguard|false|true"));
  EXPECT_THAT(Rows(VpnTable({})), IsEmpty());
}

class LinuxVpnCollectTest : public ::testing::Test {
 protected:
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewVpnCollector()->Collect(ctx);
  }
  // A minimal sysfs interface.
  void AddInterface(const std::string& name, const std::string& type,
                    const std::string& flags, const std::string& uevent) {
    std::string dir = "/sys/class/net/" + name + "/";
    system_.AddFile(dir + "type", type + "\n");
    system_.AddFile(dir + "flags", flags + "\n");
    system_.AddFile(dir + "address", "\n");
    system_.AddFile(dir + "uevent", uevent);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxVpnCollectTest, LaptopTunnels) {
  system_.LoadTree("interfaces/laptop");
  runner_.Set("ip -j -d link show",
              {0, Fixture("interfaces/laptop_ip_link_detail.json"), ""});
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewVpnCollector()->table(), "vpn");
  // trellis0 is wireguard-go (a tun device with a control socket), down.
  EXPECT_THAT(Rows(t),
              ElementsAre("trellis0|wireguard|false|true",
                          "tun0|tun|true|false", "wg0|wireguard|true|false"));
  // The vpn table needs no addresses.
  EXPECT_THAT(runner_.calls(), ElementsAre("ip -j -d link show"));
}

TEST_F(LinuxVpnCollectTest, SysfsAloneSufficesWithoutIp) {
  system_.LoadTree("interfaces/laptop");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Rows(t),
              ElementsAre("trellis0|wireguard|false|true",
                          "tun0|tun|true|false", "wg0|wireguard|true|false"));
}

TEST_F(LinuxVpnCollectTest, KernelWireguardTrellisTunnelUp) {
  AddInterface("lo", "772", "0x9", "INTERFACE=lo\nIFINDEX=1\n");
  AddInterface("trellis0", "65534", "0x91",
               "DEVTYPE=wireguard\nINTERFACE=trellis0\nIFINDEX=9\n");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Rows(t), ElementsAre("trellis0|wireguard|true|true"));
}

TEST_F(LinuxVpnCollectTest, NoTunnelsIsZeroRows) {
  AddInterface("eth0", "1", "0x1003", "INTERFACE=eth0\nIFINDEX=2\n");
  AddInterface("lo", "772", "0x9", "INTERFACE=lo\nIFINDEX=1\n");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 0);
}

TEST_F(LinuxVpnCollectTest, InterfaceOfUnknownKindIsUnknown) {
  AddInterface("lo", "772", "0x9", "INTERFACE=lo\nIFINDEX=1\n");
  system_.AddFile("/sys/class/net/mystery0/flags", "0x1\n");
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("mystery0"));
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST_F(LinuxVpnCollectTest, UnlistableSysClassNetIsUnknown) {
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/sys/class/net"));
  EXPECT_EQ(t.rows_size(), 0);
}

TEST(LinuxVpnRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewVpnCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "vpn: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  std::cout << "vpn: " << t.rows_size() << " rows\n";
  for (const std::string& row : Rows(t)) std::cout << "  " << row << "\n";
}

}  // namespace
}  // namespace trellis::agent::linux_facts
