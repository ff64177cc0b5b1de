#include "agent/facts/linux/ssh_server_collector.h"

#include <iostream>
#include <map>
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

using linux_b_testing::FakeSystemB;
using linux_b_testing::Fixture;
using linux_b_testing::Rows;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An Include reader over a map of pattern -> file contents; records the
// patterns asked for.
struct MapIncludes {
  std::map<std::string, std::vector<std::string>> files;
  std::vector<std::string> asked;
  SshdIncludeReader Reader() {
    return [this](const std::string& pattern)
               -> absl::StatusOr<std::vector<std::string>> {
      asked.push_back(pattern);
      auto it = files.find(pattern);
      if (it == files.end()) return std::vector<std::string>{};
      return it->second;
    };
  }
};

// "permit_root_login|password_authentication", with "unset" for keywords
// the config does not set and NULL for values sshd would reject.
std::string Show(const SshdSettings& s) {
  std::string out = !s.permit_root_login_set ? "unset"
                    : s.permit_root_login    ? *s.permit_root_login
                                             : "NULL";
  out += "|";
  out += !s.password_authentication_set ? "unset"
         : !s.password_authentication   ? "NULL"
         : *s.password_authentication   ? "yes"
                                        : "no";
  return out;
}

TEST(LinuxSshServerParseTest, DebianDefaultSetsNothingWithoutIncludes) {
  MapIncludes inc;
  auto s = ParseSshdConfig(Fixture("ssh_server/debian12/etc/ssh/sshd_config"),
                           inc.Reader());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Show(*s), "unset|unset");
  EXPECT_EQ(Show(WithSshdDefaults(*s)), "prohibit-password|yes");
  EXPECT_THAT(inc.asked, ElementsAre("/etc/ssh/sshd_config.d/*.conf"));
}

TEST(LinuxSshServerParseTest, IncludedFilesComeFirstWhereIncluded) {
  MapIncludes inc;
  inc.files["/etc/ssh/sshd_config.d/*.conf"] = {
      Fixture("ssh_server/debian12/etc/ssh/sshd_config.d/50-cloud-init.conf")};
  auto s = ParseSshdConfig(Fixture("ssh_server/debian12/etc/ssh/sshd_config"),
                           inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "unset|no");
}

TEST(LinuxSshServerParseTest, FirstValueWinsAndMatchIsNotGlobal) {
  MapIncludes inc;
  auto s =
      ParseSshdConfig(Fixture("ssh_server/hardened_sshd_config"), inc.Reader());
  ASSERT_TRUE(s.ok());
  // "permitrootlogin=No" (any case, '=' syntax) beats the later "yes"; the
  // trailing comment after "no" is not part of the value.
  EXPECT_EQ(Show(*s), "no|no");
}

TEST(LinuxSshServerParseTest, MatchBeforeAnythingLeavesDefaults) {
  MapIncludes inc;
  auto s = ParseSshdConfig(Fixture("ssh_server/match_first_sshd_config"),
                           inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "unset|unset");
}

TEST(LinuxSshServerParseTest, OldSpellingsAndUpperCase) {
  MapIncludes inc;
  auto s =
      ParseSshdConfig(Fixture("ssh_server/legacy_sshd_config"), inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "prohibit-password|yes");
}

TEST(LinuxSshServerParseTest, InvalidFirstValueIsNullNotTheNextOne) {
  MapIncludes inc;
  auto s =
      ParseSshdConfig(Fixture("ssh_server/invalid_sshd_config"), inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "NULL|NULL");
  EXPECT_EQ(Show(WithSshdDefaults(*s)), "NULL|NULL");
}

TEST(LinuxSshServerParseTest, MatchInIncludedFileEndsWithThatFile) {
  MapIncludes inc;
  inc.files["/etc/ssh/a.conf"] = {
      "Match User git\nPermitRootLogin yes\nPasswordAuthentication yes\n"};
  auto s = ParseSshdConfig("Include a.conf\nPasswordAuthentication no\n",
                           inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "unset|no");
}

TEST(LinuxSshServerParseTest, IncludeInsideMatchIsNotRead) {
  MapIncludes inc;
  auto s =
      ParseSshdConfig("Match all\nInclude /etc/ssh/extra.conf\n", inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(inc.asked.empty());
}

TEST(LinuxSshServerParseTest, IncludeLoopAndReadErrorsFail) {
  MapIncludes loop;
  loop.files["/etc/ssh/self.conf"] = {"Include self.conf\n"};
  EXPECT_FALSE(ParseSshdConfig("Include self.conf\n", loop.Reader()).ok());

  SshdIncludeReader failing =
      [](const std::string& p) -> absl::StatusOr<std::vector<std::string>> {
    return absl::PermissionDeniedError("cannot read " + p);
  };
  auto s = ParseSshdConfig("Include /etc/ssh/sshd_config.d/*.conf\n", failing);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(LinuxSshServerParseTest, IncludePathsAndGlobs) {
  EXPECT_EQ(ResolveSshdIncludePath("/etc/ssh/sshd_config.d/*.conf"),
            "/etc/ssh/sshd_config.d/*.conf");
  EXPECT_EQ(ResolveSshdIncludePath("sshd_config.d/*.conf"),
            "/etc/ssh/sshd_config.d/*.conf");
  EXPECT_TRUE(SshdGlobMatch("*.conf", "50-cloud-init.conf"));
  EXPECT_FALSE(SshdGlobMatch("*.conf", ".hidden.conf"));
  EXPECT_FALSE(SshdGlobMatch("*.conf", "README"));
  EXPECT_TRUE(SshdGlobMatch("[0-9]*", "10-x"));
}

TEST(LinuxSshServerParseTest, EmptyConfigSetsNothing) {
  MapIncludes inc;
  auto s = ParseSshdConfig(Fixture("users/empty"), inc.Reader());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Show(*s), "unset|unset");
}

// installed|running|permit_root_login|password_authentication
class LinuxSshServerCollectTest : public ::testing::Test {
 protected:
  LinuxSshServerCollectTest() {
    system_.LoadTree("ssh_server/debian12");
    system_.AddFile("/proc/1/comm", "systemd\n");
    system_.AddFile("/proc/1/status", "Name:\tsystemd\nUid:\t0\t0\t0\t0\n");
    system_.AddDir("/usr/local/sbin");
  }
  void StartSshd() {
    system_.AddFile("/proc/688/comm", "sshd\n");
    system_.AddFile("/proc/688/status", "Name:\tsshd\nUid:\t0\t0\t0\t0\n");
  }
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewSshServerCollector()->Collect(ctx);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxSshServerCollectTest, InstalledAndRunningWithCloudInitDropIn) {
  StartSshd();
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewSshServerCollector()->table(), "ssh_server");
  // README and .hidden.conf (both say PermitRootLogin yes) are not *.conf
  // matches for sshd, so the default stands.
  EXPECT_THAT(Rows(t), ElementsAre("true|true|prohibit-password|false"));
  EXPECT_TRUE(runner_.calls().empty());
}

TEST_F(LinuxSshServerCollectTest, InstalledButStopped) {
  v1::FactTable t = Collect();
  EXPECT_THAT(Rows(t), ElementsAre("true|false|prohibit-password|false"));
}

TEST_F(LinuxSshServerCollectTest, NotInstalledWhenOnlyTheConfigIsLeft) {
  // "apt remove openssh-server" keeps /etc/ssh/sshd_config.
  system_.RemoveFile("/usr/sbin/sshd");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_THAT(Rows(t), ElementsAre("false|false|NULL|NULL"));
}

TEST_F(LinuxSshServerCollectTest, RunningSshdMeansInstalledWherever) {
  system_.RemoveFile("/usr/sbin/sshd");
  StartSshd();
  EXPECT_THAT(Rows(Collect()),
              ElementsAre("true|true|prohibit-password|false"));
}

TEST_F(LinuxSshServerCollectTest, UnreadableConfigLeavesSettingsNull) {
  system_.SetError("/etc/ssh/sshd_config",
                   absl::PermissionDeniedError("cannot open sshd_config"));
  EXPECT_THAT(Rows(Collect()), ElementsAre("true|false|NULL|NULL"));
}

TEST_F(LinuxSshServerCollectTest, UnreadableDropInLeavesSettingsNull) {
  system_.SetError(
      "/etc/ssh/sshd_config.d/50-cloud-init.conf",
      absl::PermissionDeniedError("cannot open 50-cloud-init.conf"));
  EXPECT_THAT(Rows(Collect()), ElementsAre("true|false|NULL|NULL"));
}

TEST_F(LinuxSshServerCollectTest, UnlistableProcLeavesRunningNull) {
  system_.SetError("/proc", absl::PermissionDeniedError("hidepid"));
  EXPECT_THAT(Rows(Collect()),
              ElementsAre("true|NULL|prohibit-password|false"));
}

TEST_F(LinuxSshServerCollectTest, NoWayToLookIsUnknown) {
  system_.SetError("/usr/sbin", absl::PermissionDeniedError("denied"));
  system_.SetError("/usr/local/sbin", absl::PermissionDeniedError("denied"));
  system_.SetError("/sbin", absl::NotFoundError("no /sbin"));
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("sshd binary"));
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST(LinuxSshServerRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewSshServerCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "ssh_server: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 1);
  std::cout << "ssh_server (installed|running|permit_root_login|"
               "password_authentication): "
            << Rows(t)[0] << "\n";
}

}  // namespace
}  // namespace trellis::agent::linux_facts
