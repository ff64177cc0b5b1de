// The quarantine table loaded into a real kernel, in throwaway network
// namespaces: a "gateway" namespace whose interface faces a "device"
// namespace over a veth pair. A quarantined source reaches its remediation
// destination and nothing else; other sources are untouched; removing the
// quarantine restores everything. Needs root, ip, nft and ping; skips with
// the reason otherwise.
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/exec/command_runner.h"
#include "gateway/access/quarantine_firewall.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::gateway {
namespace {

// Runs every command inside one network namespace.
class NetnsRunner : public CommandRunner {
 public:
  explicit NetnsRunner(std::string ns) : ns_(std::move(ns)) {}
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override {
    std::vector<std::string> full = {"ip", "netns", "exec", ns_};
    full.insert(full.end(), argv.begin(), argv.end());
    return real_.Run(full, timeout);
  }

 private:
  std::string ns_;
  RealCommandRunner real_;
};

bool Have(const std::string& tool) {
  RealCommandRunner runner;
  auto r = runner.Run({"sh", "-c", absl::StrCat("command -v ", tool)},
                      absl::Seconds(5));
  return r.ok() && r->exit_code == 0;
}

class QuarantineFirewallNetnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    for (const char* tool : {"ip", "nft", "ping"}) {
      if (!Have(tool)) GTEST_SKIP() << tool << " is not installed";
    }
    std::string tag = absl::StrCat(getpid() % 100000);
    gw_ = "tqg" + tag;
    dev_ = "tqd" + tag;
    iface_ = "tqi" + tag;
    Must({"ip", "netns", "add", gw_});
    made_ = true;
    Must({"ip", "netns", "add", dev_});
    Must({"ip", "link", "add", iface_, "netns", gw_, "type", "veth", "peer",
          "name", "tqp" + tag, "netns", dev_});
    In(gw_, {"ip", "link", "set", "lo", "up"});
    In(gw_, {"ip", "address", "add", "10.99.0.1/24", "dev", iface_});
    In(gw_, {"ip", "address", "add", "10.98.0.1/32", "dev", "lo"});
    In(gw_, {"ip", "link", "set", iface_, "up"});
    In(dev_, {"ip", "link", "set", "lo", "up"});
    In(dev_, {"ip", "address", "add", "10.99.0.5/24", "dev", "tqp" + tag});
    In(dev_, {"ip", "address", "add", "10.99.0.6/24", "dev", "tqp" + tag});
    In(dev_, {"ip", "link", "set", "tqp" + tag, "up"});
    In(dev_, {"ip", "route", "add", "10.98.0.0/24", "via", "10.99.0.1"});
  }

  void TearDown() override {
    if (!made_) return;
    RealCommandRunner runner;
    for (const std::string& ns : {dev_, gw_}) {
      runner.Run({"ip", "netns", "del", ns}, absl::Seconds(10)).IgnoreError();
    }
  }

  void Must(const std::vector<std::string>& argv) {
    RealCommandRunner runner;
    auto r = runner.Run(argv, absl::Seconds(10));
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->exit_code, 0)
        << absl::StrJoin(argv, " ") << ": " << r->stderr_text;
  }
  void In(const std::string& ns, const std::vector<std::string>& argv) {
    std::vector<std::string> full = {"ip", "netns", "exec", ns};
    full.insert(full.end(), argv.begin(), argv.end());
    Must(full);
  }
  // Whether the device reaches `to` from source address `from`.
  bool Reaches(const std::string& from, const std::string& to) {
    RealCommandRunner runner;
    auto r = runner.Run(
        {"ip", "netns", "exec", dev_, "ping", "-c1", "-W1", "-I", from, to},
        absl::Seconds(10));
    return r.ok() && r->exit_code == 0;
  }

  std::string gw_, dev_, iface_;
  bool made_ = false;
  testing::TempDir dir_;
};

TEST_F(QuarantineFirewallNetnsTest,
       KernelLetsQuarantinedSourcesReachOnlyRemediation) {
  ASSERT_TRUE(Reaches("10.99.0.5", "10.98.0.1"));
  ASSERT_TRUE(Reaches("10.99.0.5", "10.99.0.1"));

  NetnsRunner runner(gw_);
  QuarantineFirewall firewall(iface_, &runner, dir_.File("nft"));
  QuarantinedPeer peer;
  peer.public_key = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  peer.sources = {"10.99.0.5/32"};
  peer.destinations = {"10.99.0.1/32"};
  absl::Status enforced = firewall.Enforce({peer});
  ASSERT_TRUE(enforced.ok()) << enforced;

  EXPECT_TRUE(Reaches("10.99.0.5", "10.99.0.1")) << "remediation blocked";
  EXPECT_FALSE(Reaches("10.99.0.5", "10.98.0.1")) << "quarantine leaked";
  EXPECT_TRUE(Reaches("10.99.0.6", "10.98.0.1")) << "another source blocked";

  // Loading again replaces the table in one go; the result is the same.
  peer.destinations = {"10.99.0.1/32", "10.98.0.0/24"};
  ASSERT_TRUE(firewall.Enforce({peer}).ok());
  EXPECT_TRUE(Reaches("10.99.0.5", "10.98.0.1"));

  ASSERT_TRUE(firewall.Enforce({}).ok());
  EXPECT_TRUE(Reaches("10.99.0.5", "10.98.0.1"));
  NetnsRunner check(gw_);
  auto tables = check.Run({"nft", "list", "tables"}, absl::Seconds(10));
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->stdout_text.find("trellis_"), std::string::npos)
      << tables->stdout_text;
}

}  // namespace
}  // namespace trellis::gateway
