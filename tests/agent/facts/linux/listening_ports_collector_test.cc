#include "agent/facts/linux/listening_ports_collector.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
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
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Show(const std::vector<ListeningSocket>& sockets) {
  std::vector<std::string> out;
  for (const ListeningSocket& s : sockets) {
    out.push_back(absl::StrCat(s.protocol, " ", s.address, " ", s.port,
                               s.loopback_only ? " loopback" : ""));
  }
  return out;
}

TEST(LinuxListeningPortsParseTest, DecodesAddresses) {
  EXPECT_EQ(DecodeProcNetAddress("0100007F"), "127.0.0.1");
  EXPECT_EQ(DecodeProcNetAddress("3500007F"), "127.0.0.53");
  EXPECT_EQ(DecodeProcNetAddress("00000000"), "0.0.0.0");
  EXPECT_EQ(DecodeProcNetAddress("6401a8c0"), "192.168.1.100");
  EXPECT_EQ(DecodeProcNetAddress("00000000000000000000000001000000"), "::1");
  EXPECT_EQ(DecodeProcNetAddress("00000000000000000000000000000000"), "::");
  EXPECT_EQ(DecodeProcNetAddress("0000000000000000FFFF00000100007F"),
            "::ffff:127.0.0.1");
  EXPECT_EQ(DecodeProcNetAddress("000080FE00000000FF3C2B1A6F5E4DFE"),
            "fe80::1a2b:3cff:fe4d:5e6f");
  EXPECT_EQ(DecodeProcNetAddress("0100007"), std::nullopt);
  EXPECT_EQ(DecodeProcNetAddress("0100007G"), std::nullopt);
  EXPECT_EQ(DecodeProcNetAddress(""), std::nullopt);
}

TEST(LinuxListeningPortsParseTest, Loopback) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("::ffff:127.0.0.53"));
  EXPECT_FALSE(IsLoopbackAddress("::ffff:10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
  EXPECT_FALSE(IsLoopbackAddress("1270::1"));
  EXPECT_FALSE(IsLoopbackAddress("192.168.1.100"));
}

TEST(LinuxListeningPortsParseTest, TcpListenersOnly) {
  EXPECT_THAT(
      Show(ParseProcNet(Fixture("listening_ports/laptop/proc/net/tcp"), "tcp")),
      ElementsAre("tcp 127.0.0.53 53 loopback", "tcp 0.0.0.0 22",
                  "tcp 127.0.0.1 631 loopback", "tcp 127.0.0.1 5432 loopback",
                  "tcp 0.0.0.0 80", "tcp 0.0.0.0 80"));
}

TEST(LinuxListeningPortsParseTest, Tcp6Listeners) {
  EXPECT_THAT(Show(ParseProcNet(Fixture("listening_ports/laptop/proc/net/tcp6"),
                                "tcp6")),
              ElementsAre("tcp6 :: 22", "tcp6 ::1 631 loopback",
                          "tcp6 ::ffff:127.0.0.1 8080 loopback",
                          "tcp6 ::ffff:192.168.1.100 443",
                          "tcp6 fe80::1a2b:3cff:fe4d:5e6f 9000"));
}

TEST(LinuxListeningPortsParseTest, UdpBoundButNotConnected) {
  EXPECT_THAT(
      Show(ParseProcNet(Fixture("listening_ports/laptop/proc/net/udp"), "udp")),
      ElementsAre("udp 127.0.0.53 53 loopback", "udp 0.0.0.0 5353",
                  "udp 0.0.0.0 5353", "udp 0.0.0.0 68",
                  "udp 127.0.0.1 323 loopback"));
  EXPECT_THAT(Show(ParseProcNet(Fixture("listening_ports/laptop/proc/net/udp6"),
                                "udp6")),
              ElementsAre("udp6 :: 5353", "udp6 fe80::1a2b:3cff:fe4d:5e6f 546",
                          "udp6 ::1 323 loopback"));
}

TEST(LinuxListeningPortsParseTest, MalformedAndTruncatedLinesAreSkipped) {
  EXPECT_THAT(
      Show(ParseProcNet(Fixture("listening_ports/tcp_malformed"), "tcp")),
      ElementsAre("tcp 0.0.0.0 22", "tcp 127.0.0.1 22 loopback"));
  EXPECT_THAT(
      Show(ParseProcNet(Fixture("listening_ports/tcp_truncated"), "tcp")),
      ElementsAre("tcp 127.0.0.53 53 loopback", "tcp 0.0.0.0 22",
                  "tcp 127.0.0.1 631 loopback"));
  EXPECT_THAT(ParseProcNet(Fixture("listening_ports/empty"), "tcp"), IsEmpty());
}

TEST(LinuxListeningPortsParseTest, RecordedOnThisBuildContainer) {
  EXPECT_THAT(
      Show(ParseProcNet(Fixture("listening_ports/container_tcp"), "tcp")),
      ElementsAre("tcp 0.0.0.0 2024"));
  EXPECT_THAT(ParseProcNet(Fixture("listening_ports/container_udp"), "udp"),
              IsEmpty());
}

TEST(LinuxListeningPortsParseTest, TableDeduplicates) {
  std::vector<ListeningSocket> s = {{"tcp", "0.0.0.0", 80, false},
                                    {"tcp6", "::", 80, false},
                                    {"tcp", "0.0.0.0", 80, false}};
  v1::FactTable t = ListeningPortsTable(s);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_THAT(Rows(t), ElementsAre("tcp|0.0.0.0|80|false", "tcp6|::|80|false"));
}

class LinuxListeningPortsCollectTest : public ::testing::Test {
 protected:
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewListeningPortsCollector()->Collect(ctx);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxListeningPortsCollectTest, AllFourTables) {
  system_.LoadTree("listening_ports/laptop");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewListeningPortsCollector()->table(), "listening_ports");
  EXPECT_THAT(
      Rows(t),
      ElementsAre(
          "tcp|127.0.0.53|53|true", "tcp|0.0.0.0|22|false",
          "tcp|127.0.0.1|631|true", "tcp|127.0.0.1|5432|true",
          "tcp|0.0.0.0|80|false", "tcp6|::|22|false", "tcp6|::1|631|true",
          "tcp6|::ffff:127.0.0.1|8080|true",
          "tcp6|::ffff:192.168.1.100|443|false",
          "tcp6|fe80::1a2b:3cff:fe4d:5e6f|9000|false", "udp|127.0.0.53|53|true",
          "udp|0.0.0.0|5353|false", "udp|0.0.0.0|68|false",
          "udp|127.0.0.1|323|true", "udp6|::|5353|false",
          "udp6|fe80::1a2b:3cff:fe4d:5e6f|546|false", "udp6|::1|323|true"));
}

TEST_F(LinuxListeningPortsCollectTest, KernelWithoutIpv6) {
  system_.LoadTree("listening_ports/no_ipv6");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_THAT(Rows(t), ElementsAre("tcp|0.0.0.0|22|false"));
}

TEST_F(LinuxListeningPortsCollectTest, NothingListeningIsZeroRows) {
  system_.AddFile("/proc/net/tcp", Fixture("listening_ports/container_udp"));
  system_.AddFile("/proc/net/udp", Fixture("listening_ports/container_udp"));
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_EQ(t.rows_size(), 0);
}

TEST_F(LinuxListeningPortsCollectTest, MissingProcNetIsUnknown) {
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/proc/net/tcp"));
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST_F(LinuxListeningPortsCollectTest, UnreadableTcp6IsUnknown) {
  system_.LoadTree("listening_ports/laptop");
  system_.SetError("/proc/net/tcp6",
                   absl::PermissionDeniedError("cannot open /proc/net/tcp6"));
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/proc/net/tcp6"));
  EXPECT_EQ(t.rows_size(), 0);
}

TEST_F(LinuxListeningPortsCollectTest, EmptyFileIsUnknown) {
  system_.LoadTree("listening_ports/laptop");
  system_.AddFile("/proc/net/udp", "");
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/proc/net/udp"));
}

TEST(LinuxListeningPortsRealMachineTest, CollectsThisMachine) {
  // A listener of our own, which the collector must then find.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string ours =
      absl::StrCat("tcp|127.0.0.1|", ntohs(addr.sin_port), "|true");

  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewListeningPortsCollector()->Collect(ctx);
  ::close(fd);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "listening_ports: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Rows(t), Contains(ours));
  std::cout << "listening_ports: " << t.rows_size() << " rows\n";
  for (const std::string& row : Rows(t)) std::cout << "  " << row << "\n";
}

}  // namespace
}  // namespace trellis::agent::linux_facts
