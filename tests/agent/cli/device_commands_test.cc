#include "agent/cli/device_commands.h"

#include "common/facts/table_builder.h"
#include "common/policy/bundle_signing.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/cli/cli_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// One table, always the same.
class FixedCollector : public Collector {
 public:
  explicit FixedCollector(v1::FactTable table) : table_(std::move(table)) {}
  std::string table() const override { return table_.name(); }
  v1::FactTable Collect(CollectContext&) override { return table_; }

 private:
  v1::FactTable table_;
};

std::vector<std::unique_ptr<Collector>> Collectors() {
  std::vector<std::unique_ptr<Collector>> out;
  out.push_back(std::make_unique<FixedCollector>(
      facts::TableBuilder("os_version")
          .Row()
          .Text("name", "Debian GNU/Linux\x1b]0;owned\x07")
          .Build()));
  out.push_back(
      std::make_unique<FixedCollector>(facts::TableBuilder("system_info")
                                           .Row()
                                           .Text("hostname", "laptop-42")
                                           .Build()));
  return out;
}

class DeviceCommandsTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  AgentState state_{dir_.path() + "/state"};
  FakeClock clock_;
  vpn_testing::FakeSystem system_;
  FakeCommandRunner runner_;
  DeviceProbe probe_{&system_, &runner_, &clock_, Collectors(),
                     v1::PLATFORM_LINUX};
};

TEST_F(DeviceCommandsTest, ShowDataBeforeEnrolmentForCorporateAndPersonal) {
  ShowDataOptions options;
  CommandOutput corporate =
      RunShowData(state_, probe_, options, RealFileReader());
  EXPECT_EQ(corporate.exit_code, 0) << corporate.err;
  EXPECT_THAT(corporate.out, HasSubstr("This device is not enrolled. Enrolled "
                                       "as a corporate device, it would send"));
  EXPECT_THAT(corporate.out, HasSubstr("hostname: laptop-42"));
  EXPECT_THAT(corporate.out,
              HasSubstr("trellis-agent show-data --ownership personal"));

  options.ownership = "personal";
  CommandOutput personal =
      RunShowData(state_, probe_, options, RealFileReader());
  EXPECT_EQ(personal.exit_code, 0) << personal.err;
  EXPECT_THAT(personal.out, HasSubstr("Enrolled as a personal device"));
  EXPECT_THAT(personal.out, HasSubstr("basic security facts only"));
  EXPECT_THAT(personal.out, HasSubstr("[os_version]"));
  EXPECT_THAT(personal.out, Not(HasSubstr("laptop-42")));

  options.json = true;
  CommandOutput json = RunShowData(state_, probe_, options, RealFileReader());
  EXPECT_THAT(json.out, HasSubstr("\"ownership\""));
  EXPECT_THAT(json.out, Not(HasSubstr("laptop-42")));
}

TEST_F(DeviceCommandsTest, ShowDataFollowsTheEnrolledOwnershipUnlessAsked) {
  cli_testing::SaveDevice(state_);
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  // As a normal user: the ownership comes from the status file.
  CommandOutput out = RunShowData(
      state_, probe_, {}, cli_testing::UserReader({StatusFilePath(state_)}));
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, HasSubstr("This corporate device sends"));
  EXPECT_THAT(out.out, HasSubstr("device_id: dabcdef"));
  EXPECT_THAT(out.out, HasSubstr("laptop-42"));
  // Device text is escaped.
  EXPECT_THAT(out.out, HasSubstr("Debian GNU/Linux\\e]0;owned\\x07"));
  EXPECT_EQ(out.out.find('\x1b'), std::string::npos);
}

TEST_F(DeviceCommandsTest, ShowDataRejectsAnUnknownOwnership) {
  ShowDataOptions options;
  options.ownership = "byod";
  CommandOutput out = RunShowData(state_, probe_, options, RealFileReader());
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("--ownership must be corporate or personal, "
                                 "not 'byod'"));
}

TEST_F(DeviceCommandsTest, CheckAsANormalUserWithoutAccessNeedsPermission) {
  cli_testing::SaveDevice(state_);
  CommandOutput out = RunCheck(state_, probe_, false, cli_testing::Now(),
                               cli_testing::UserReader({}));
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("needs permission (run as root or ask IT)"));
  EXPECT_THAT(out.err, Not(HasSubstr("not enrolled")));
}

TEST_F(DeviceCommandsTest, CheckSaysABundleItMayNotReadNeedsPermission) {
  cli_testing::SaveDevice(state_);
  ASSERT_TRUE(WriteFileAtomic(state_.BundlePath(), "x", 0600).ok());
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  CommandOutput out =
      RunCheck(state_, probe_, false, cli_testing::Now(),
               cli_testing::UserReader({StatusFilePath(state_)}));
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("cannot read " + state_.BundlePath() +
                                 ": needs permission (run as root or ask IT)"));
}

// A bundle the pinned key signed: firewall/on fails on this device (the
// server excepted it), os/supported passes.
void SaveBundle(const AgentState& state) {
  auto key = policy::GenerateSigningKey();
  ASSERT_TRUE(key.ok());
  v1::PolicyBundle bundle;
  bundle.set_version(4);
  v1::Policy* fw = bundle.add_policies();
  fw->set_id("firewall");
  fw->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  v1::Check* on = fw->add_checks();
  on->set_id("on");
  on->set_title("Firewall is on");
  on->set_query("SELECT 1 FROM os_version WHERE name = 'none'");
  v1::Policy* os = bundle.add_policies();
  os->set_id("os");
  os->set_enforcement(v1::ENFORCEMENT_RESTRICT);
  v1::Check* supported = os->add_checks();
  supported->set_id("supported");
  supported->set_title("OS is supported");
  supported->set_query("SELECT 1 FROM os_version");
  auto signed_bundle = policy::SignBundle(bundle, key->private_key_pem);
  ASSERT_TRUE(signed_bundle.ok());
  ASSERT_TRUE(
      WriteFileAtomic(state.PolicyKeyPath(), key->public_key_pem, 0644).ok());
  ASSERT_TRUE(WriteFileAtomic(state.BundlePath(),
                              signed_bundle->SerializeAsString(), 0644)
                  .ok());
}

TEST_F(DeviceCommandsTest, CheckAsANormalUserMarksTheServersException) {
  cli_testing::SaveDevice(state_);
  SaveBundle(state_);
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  CommandOutput out = RunCheck(
      state_, probe_, false, cli_testing::Now(),
      cli_testing::UserReader({StatusFilePath(state_), state_.BundlePath(),
                               state_.PolicyKeyPath()}));
  EXPECT_EQ(out.exit_code, 0) << out.err << out.out;
  EXPECT_THAT(out.out, HasSubstr("[FAIL (excepted until 2027-02-01 00:00:00 "
                                 "UTC: vendor laptop)] Firewall is on"));
  EXPECT_THAT(out.out, HasSubstr("[PASS] OS is supported"));
  EXPECT_THAT(out.out, HasSubstr("This device meets policy."));
  EXPECT_THAT(out.out, HasSubstr("The server's verdict at the last check-in: "
                                 "grace"));
}

TEST_F(DeviceCommandsTest, CheckBeforeEnrolmentSaysNotEnrolled) {
  CommandOutput out =
      RunCheck(state_, probe_, false, cli_testing::Now(), RealFileReader());
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_THAT(out.err, HasSubstr("not enrolled"));
}

}  // namespace
}  // namespace trellis::agent
