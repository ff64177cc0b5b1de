// Each diagnostic of the catalogue against fakes: recorded command output,
// a temporary system root, fake network, filesystem and server clock.
#include "agent/diagnostics/catalogue.h"

#include <set>

#include "absl/strings/ascii.h"
#include "agent/diagnostics/params.h"
#include "agent/vpn/vpn_status_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/diagnostics/diagnostics_test_util.h"
#include "tests/agent/vpn/vpn_test_util.h"

namespace trellis::agent::diagnostics {
namespace {

using testing::DiagnosticsHarness;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(CatalogueTest, EveryEntryIsWellFormed) {
  std::set<std::string> names;
  for (const DiagnosticSpec& spec : Catalogue()) {
    SCOPED_TRACE(spec.name);
    EXPECT_TRUE(names.insert(spec.name).second) << "duplicate name";
    for (char c : spec.name) {
      EXPECT_TRUE(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-');
    }
    EXPECT_FALSE(spec.description.empty());
    EXPECT_EQ(spec.description.find('\n'), std::string::npos);
    EXPECT_TRUE(spec.run != nullptr);
    EXPECT_GT(spec.time_bound, absl::ZeroDuration());
    EXPECT_LE(spec.time_bound, kMaxTimeBound);
    EXPECT_GT(spec.max_output_bytes, 0u);
    EXPECT_LE(spec.max_output_bytes, kMaxOutputBytes);
    // Defaults validate; required parameters have none.
    for (const ParamSpec& p : spec.params) {
      EXPECT_FALSE(p.required && !p.default_value.empty()) << p.name;
    }
    std::vector<std::pair<std::string, std::string>> given;
    for (const ParamSpec& p : spec.params) {
      if (p.required) given.push_back({p.name, "example.org"});
    }
    EXPECT_TRUE(ValidateParams(spec, given).ok());
  }
  EXPECT_EQ(names.size(), 11u);
}

TEST(CatalogueTest, OnlyLogTailAndRoutesAreDetailed) {
  std::set<std::string> detailed;
  for (const DiagnosticSpec& spec : Catalogue()) {
    if (spec.privacy == PrivacyClass::kDetailed) detailed.insert(spec.name);
  }
  EXPECT_EQ(detailed,
            (std::set<std::string>{"agent-log-tail", "route-summary"}));
}

class DiagnosticTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Enrol("corporate"); }

  void StoreCheckIn(const v1::VpnAssignment& vpn) {
    v1::CheckInResponse last;
    *last.mutable_vpn() = vpn;
    ASSERT_TRUE(h_.state
                    .WriteStateFile(h_.state.LastCheckInPath(),
                                    last.SerializeAsString(), 0600)
                    .ok());
  }

  void TunnelUpWithHandshake(absl::Time handshake) {
    h_.Command("ip link show trellis0",
               "7: trellis0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420\n");
    h_.Command("wg show trellis0 dump",
               absl::StrCat("(none)\tdijv/4N+s5RDB0fcdnImgckNOVQm5a4pej+zA/"
                            "Ec5DQ=\t46690\toff\n",
                            vpn_testing::kGatewayKey,
                            "\t(none)\t192.0.2.1:51820\t10.0.0.0/8\t",
                            absl::ToUnixSeconds(handshake), "\t10\t20\t25\n"));
  }

  DiagnosticsHarness h_;
};

TEST_F(DiagnosticTest, ServerReachabilityTimesEachStep) {
  h_.network.names["trellis.example.org"] = {"192.0.2.10", "2001:db8::10"};
  auto out = h_.Run("server-reachability");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.output,
            "server: trellis.example.org:8443\n"
            "dns: trellis.example.org -> 192.0.2.10, 2001:db8::10 (5.0 ms)\n"
            "tcp: connected to 192.0.2.10:8443 in 5.0 ms\n"
            "tls: handshake completed in 5.0 ms (connect included: a "
            "connection of its own)\n");
  EXPECT_EQ(h_.network.handshakes,
            std::vector<std::string>{"trellis.example.org:8443"});
}

TEST_F(DiagnosticTest, ServerReachabilityTriesTheNextAddressAndNamesFailures) {
  h_.network.names["trellis.example.org"] = {"2001:db8::10", "192.0.2.10"};
  h_.network.connect_errors["2001:db8::10"] =
      absl::UnavailableError("cannot connect: Network is unreachable");
  h_.network.tls = absl::UnavailableError("TLS handshake failed: reset");
  auto out = h_.Run("server-reachability");
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_THAT(out.output, HasSubstr("tcp: [2001:db8::10]:8443 failed after "
                                    "5.0 ms: cannot connect: Network is "
                                    "unreachable\n"
                                    "tcp: connected to 192.0.2.10:8443"));
  EXPECT_THAT(out.result.message,
              HasSubstr("TLS handshake failed: TLS handshake failed: reset"));

  h_.network.names.clear();
  auto unresolved = h_.Run("server-reachability");
  EXPECT_EQ(unresolved.result.state, RunState::kFailed);
  EXPECT_THAT(unresolved.result.message,
              HasSubstr("resolving trellis.example.org: cannot resolve"));
}

TEST_F(DiagnosticTest, ServerReachabilityNeedsAnEnrolledDevice) {
  DiagnosticsHarness fresh;
  auto out = fresh.Run("server-reachability");
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_THAT(out.result.message, HasSubstr("this device is not enrolled"));
}

TEST_F(DiagnosticTest, VpnGatewayReachabilityReportsTheHandshakeAge) {
  StoreCheckIn(vpn_testing::FullAssignment());
  h_.network.names["vpn.council.example"] = {"192.0.2.1"};
  // Resolving takes 5 ms of fake time before the tunnel is read.
  TunnelUpWithHandshake(h_.clock.Now() - absl::Seconds(42));
  auto out = h_.Run("vpn-gateway-reachability");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output,
              HasSubstr("gateway: vpn.council.example:51820 (WireGuard, UDP)\n"
                        "dns: vpn.council.example -> 192.0.2.1 (5.0 ms)\n"));
  EXPECT_THAT(out.output, HasSubstr("udp: no connection to time"));
  EXPECT_THAT(out.output, HasSubstr("tunnel peer endpoint: 192.0.2.1:51820\n"
                                    "handshake: latest 42s ago\n"));
}

TEST_F(DiagnosticTest, VpnGatewayReachabilityFailsOnAStaleHandshake) {
  StoreCheckIn(vpn_testing::FullAssignment());
  h_.network.names["vpn.council.example"] = {"192.0.2.1"};
  TunnelUpWithHandshake(h_.clock.Now() - absl::Minutes(10));
  auto out = h_.Run("vpn-gateway-reachability");
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_THAT(out.result.message,
              HasSubstr("the latest handshake is 10m ago: the gateway has not "
                        "answered recently"));
}

TEST_F(DiagnosticTest, VpnGatewayReachabilityWithoutAProfileSaysSo) {
  auto out = h_.Run("vpn-gateway-reachability");
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_THAT(out.result.message, HasSubstr("no VPN gateway known"));
}

TEST_F(DiagnosticTest, DnsResolveReportsEachName) {
  h_.network.names["intranet.council.example"] = {"10.1.2.3"};
  auto out = h_.Run("dns-resolve", {{"names",
                                     "intranet.council.example,missing.example,"
                                     "192.0.2.8"}});
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_EQ(out.result.message, "1 of 3 names did not resolve");
  EXPECT_EQ(out.output,
            "resolve: intranet.council.example -> 10.1.2.3 (5.0 ms)\n"
            "resolve: missing.example failed after 5.0 ms: cannot resolve: "
            "Name or service not known\n"
            "resolve: 192.0.2.8 is an address, no lookup\n");
  EXPECT_EQ(h_.Run("dns-resolve", {{"names",
                                    "a.example,b.example,c.example,"
                                    "d.example,e.example,f.example,"
                                    "g.example,h.example,i.example"}})
                .result.message,
            "parameter 'names': has 9 items, at most 8 allowed");
}

TEST_F(DiagnosticTest, VpnStatusShowsStatusViewAndHandshakeAge) {
  StoreCheckIn(vpn_testing::FullAssignment());
  VpnStatusRecord record;
  record.tunnel = "up";
  record.reason = "full access";
  ASSERT_TRUE(SaveVpnStatus(h_.state, record).ok());
  TunnelUpWithHandshake(h_.clock.Now() - absl::Seconds(75));
  auto out = h_.Run("vpn-status");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output, HasSubstr("VPN access:    full - meets policy\n"));
  EXPECT_THAT(out.output, HasSubstr("Tunnel:        up - full access\n"));
  EXPECT_THAT(out.output, HasSubstr("Interface:     interface trellis0 up\n"));
  EXPECT_THAT(out.output, HasSubstr("with 192.0.2.1:51820\n"));
  EXPECT_THAT(out.output, HasSubstr("Handshake age: 75s ago\n"));
}

TEST_F(DiagnosticTest, RouteSummarySummarisesBothFamilies) {
  h_.Command("ip -4 route show",
             "default via 192.168.1.1 dev wlp2s0 proto dhcp metric 600\n"
             "10.0.0.0/8 dev trellis0 scope link\n"
             "192.168.1.0/24 dev wlp2s0 proto kernel scope link src "
             "192.168.1.20\n"
             "unreachable 172.16.0.0/12\n");
  h_.Command("ip -6 route show",
             "fe80::/64 dev wlp2s0 proto kernel metric "
             "1024 pref medium\n");
  auto out = h_.Run("route-summary");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output,
              HasSubstr("ipv4: 4 routes\n"
                        "  default via 192.168.1.1 dev wlp2s0\n"
                        "  by interface: (none) 1, trellis0 1, wlp2s0 2\n"
                        "  through trellis0: 10.0.0.0/8\n"
                        "ipv6: 1 routes\n  no default route\n"));
}

TEST_F(DiagnosticTest, DiskSpaceCoversRootAndTheStateDirectory) {
  h_.filesystems.usage["/"] = {100ull << 30, 25ull << 30};
  h_.filesystems.usage[h_.state.dir()] = {10ull << 30, 512ull << 20};
  auto out = h_.Run("disk-space");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.output,
            absl::StrCat("/: 25.0 GiB available of 100.0 GiB (75% used)\n",
                         h_.state.dir(),
                         ": 512.0 MiB available of 10.0 GiB (95% used)\n"));
}

TEST_F(DiagnosticTest, MemoryAndLoadFromProc) {
  h_.SystemFile("/proc/meminfo",
                "MemTotal:       16318480 kB\nMemFree:  1000 kB\n"
                "MemAvailable:    8159240 kB\nSwapTotal: 2097148 kB\n"
                "SwapFree:        1048574 kB\n");
  h_.SystemFile("/proc/loadavg", "0.52 0.58 0.59 1/977 12345\n");
  auto out = h_.Run("memory-load");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.output,
            "memory: 7.8 GiB available of 15.6 GiB\n"
            "swap: 1024.0 MiB used of 2.0 GiB\n"
            "load: 0.52 0.58 0.59 (1, 5, 15 min); runnable/threads 1/977\n");
  h_.SystemFile("/proc/loadavg", "garbage\n");
  EXPECT_THAT(h_.Run("memory-load").result.message,
              HasSubstr("/proc/loadavg is not in the kernel's format"));
}

TEST_F(DiagnosticTest, AgentLogTailReadsTheJournalWithTheLinesParameter) {
  h_.Command("journalctl -u trellis-agent -n 2 --no-pager -o short-iso",
             "2026-01-01T00:00:00+0000 host trellis-agent[1]: check-in ok\n"
             "2026-01-01T00:05:00+0000 host trellis-agent[1]: \x1b[31mred\n");
  auto out = h_.Run("agent-log-tail", {{"lines", "2"}});
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.chunks.size(), 2u);
  EXPECT_THAT(out.chunks[0], HasSubstr("check-in ok"));
  EXPECT_EQ(h_.Run("agent-log-tail", {{"lines", "5000"}}).result.message,
            "parameter 'lines': 5000 is out of range 1-1000");
  h_.Command("journalctl -u trellis-agent -n 100 --no-pager -o short-iso", "",
             1, "Failed to open journal: Permission denied\n");
  EXPECT_THAT(h_.Run("agent-log-tail").result.message,
              HasSubstr("journalctl failed (exit 1): Failed to open journal: "
                        "Permission denied"));
}

TEST_F(DiagnosticTest, AgentServiceStatusShowsUnitAndLastCheckIn) {
  h_.Command(
      "systemctl show trellis-agent --no-pager "
      "--property=LoadState,ActiveState,SubState,UnitFileState,Result,"
      "MainPID,ExecMainStartTimestamp,NRestarts",
      "LoadState=loaded\nActiveState=failed\nSubState=failed\n"
      "NRestarts=5\n");
  auto out = h_.Run("agent-service-status");
  EXPECT_EQ(out.result.state, RunState::kFailed);
  EXPECT_THAT(out.output, HasSubstr("ActiveState: failed\n"));
  EXPECT_THAT(out.output, HasSubstr("NRestarts: 5\nlast check-in: never\n"));
  EXPECT_EQ(out.result.message,
            "trellis-agent is not running (ActiveState failed)");
}

// A collector that takes a known time and yields one row.
class TimedCollector : public Collector {
 public:
  TimedCollector(std::string table, FakeClock& clock, absl::Duration takes)
      : table_(std::move(table)), clock_(clock), takes_(takes) {}
  std::string table() const override { return table_; }
  v1::FactTable Collect(CollectContext& context) override {
    clock_.Advance(takes_);
    v1::FactTable t;
    t.set_name(table_);
    t.set_status(v1::FactTable::STATUS_OK);
    t.add_rows();
    return t;
  }

 private:
  std::string table_;
  FakeClock& clock_;
  absl::Duration takes_;
};

TEST_F(DiagnosticTest, FactCollectionTimesEachAllowedTable) {
  h_.env.collectors = [&] {
    std::vector<std::unique_ptr<Collector>> c;
    c.push_back(std::make_unique<TimedCollector>("os_version", h_.clock,
                                                 absl::Milliseconds(12)));
    c.push_back(std::make_unique<TimedCollector>("system_info", h_.clock,
                                                 absl::Milliseconds(30)));
    return c;
  };
  auto out = h_.Run("fact-collection");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_EQ(out.output,
            "os_version: 1 rows in 12.0 ms\nsystem_info: 1 rows in 30.0 ms\n"
            "total: 2 tables (0 unknown) in 42.0 ms\n");

  // A personal device collects only basic tables, as a check-in does.
  DiagnosticsHarness personal;
  personal.Enrol("personal");
  personal.env.collectors = h_.env.collectors;
  auto limited = personal.Run("fact-collection");
  EXPECT_THAT(limited.output,
              HasSubstr("system_info: not collected on this device "
                        "(inventory)"));
}

TEST_F(DiagnosticTest, ClockSkewMeasuresAgainstTheMiddleOfTheRoundTrip) {
  auto without = h_.Run("clock-skew");
  EXPECT_EQ(without.result.state, RunState::kFailed);
  EXPECT_THAT(without.result.message,
              HasSubstr("the server's time is not available here"));

  h_.env.server_clock = &h_.server_clock;
  h_.server_clock.offset = absl::Milliseconds(1500);
  auto out = h_.Run("clock-skew");
  EXPECT_EQ(out.result.state, RunState::kSucceeded) << out.result.message;
  EXPECT_THAT(out.output,
              HasSubstr("skew: the device is 1500.0 ms behind the server "
                        "(round trip 40.0 ms, +/- 20.0 ms)"));
}

}  // namespace
}  // namespace trellis::agent::diagnostics
