// The Linux controller against the real wireguard-go, wg and ip, inside a
// private network namespace so the machine's own network is untouched.
// Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and the WireGuard tools; skipped
// otherwise.
#include <sched.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/match.h"
#include "agent/vpn/linux/linux_tunnel_controller.h"
#include "agent/vpn/wireguard_identity.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/vpn/vpn_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent::linux_vpn {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool Installed(RealCommandRunner& runner, const std::string& program,
               const std::string& arg) {
  auto r = runner.Run({program, arg}, absl::Seconds(5));
  return r.ok();
}

TunnelPlan Plan(bool full_tunnel) {
  v1::VpnAssignment a = vpn_testing::FullAssignment();
  // An address, not a name: the private namespace has no DNS.
  a.mutable_profile()->set_gateway_endpoint("192.0.2.1:51820");
  a.mutable_profile()->clear_dns_servers();
  a.mutable_profile()->clear_dns_search_domains();
  if (full_tunnel) {
    a.mutable_profile()->clear_routes();
    a.mutable_profile()->add_routes("0.0.0.0/0");
  }
  return PlanTunnel(a, TrustedNetworkResult());
}

std::string Output(RealCommandRunner& runner,
                   const std::vector<std::string>& argv) {
  auto r = runner.Run(argv, absl::Seconds(5));
  return r.ok() ? r->stdout_text : std::string(r.status().message());
}

void Scenario(const AgentState& state) {
  auto key = LoadOrCreateWireGuardKey(state);
  ASSERT_TRUE(key.ok()) << key.status();
  RealCommandRunner runner;
  LinuxTunnelOptions options;
  options.interface_name = "trtest0";
  options.private_key_path = state.WireGuardKeyPath();
  options.public_key = key->public_key;
  LinuxTunnelController controller(&runner, options);

  auto first = controller.Apply(Plan(false));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->changed);
  TunnelObservation seen = controller.Observe();
  EXPECT_TRUE(seen.present);
  EXPECT_TRUE(seen.up);
  EXPECT_EQ(seen.peer_endpoint, "192.0.2.1:51820");
  EXPECT_THAT(Output(runner, {"ip", "-4", "route", "show", "dev", "trtest0"}),
              HasSubstr("192.168.50.0/24"));

  auto again = controller.Apply(Plan(false));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed);

  // Someone deletes the interface: the next apply brings it back.
  ASSERT_TRUE(
      runner.Run({"ip", "link", "del", "trtest0"}, absl::Seconds(5)).ok());
  auto back = controller.Apply(Plan(false));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->changed);
  EXPECT_TRUE(controller.Observe().up);

  auto full = controller.Apply(Plan(true));
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_THAT(Output(runner, {"ip", "-4", "rule", "show"}),
              HasSubstr("not from all fwmark 0xca6c lookup 51820"));
  EXPECT_THAT(Output(runner, {"ip", "-4", "route", "show", "dev", "trtest0"}),
              Not(HasSubstr("192.168.50.0/24")));
  auto full_again = controller.Apply(Plan(true));
  ASSERT_TRUE(full_again.ok()) << full_again.status();
  EXPECT_FALSE(full_again->changed);
}

TEST(LinuxTunnelNetnsTest, RealToolsInPrivateNamespace) {
  RealCommandRunner runner;
  if (::geteuid() != 0 || !Installed(runner, "wireguard-go", "--version") ||
      !Installed(runner, "wg", "--version") || !Installed(runner, "ip", "-V")) {
    GTEST_SKIP() << "needs root, wireguard-go, wg and ip";
  }
  testing::TempDir dir;
  AgentState state(dir.path());
  bool isolated = false;
  // A network namespace belongs to a thread; the commands it runs inherit it.
  std::thread worker([&] {
    if (::unshare(CLONE_NEWNET) != 0) return;
    isolated = true;
    Scenario(state);
    // Always leave nothing behind: deleting the link stops wireguard-go.
    LinuxTunnelOptions options;
    options.interface_name = "trtest0";
    LinuxTunnelController cleanup(&runner, options);
    auto down = cleanup.Apply(TunnelPlan());
    EXPECT_TRUE(down.ok()) << down.status();
    TunnelObservation gone = cleanup.Observe();
    EXPECT_FALSE(gone.present);
    EXPECT_THAT(Output(runner, {"ip", "-4", "rule", "show"}),
                Not(HasSubstr("fwmark")));
  });
  worker.join();
  if (!isolated) GTEST_SKIP() << "cannot create a network namespace";
}

}  // namespace
}  // namespace trellis::agent::linux_vpn
