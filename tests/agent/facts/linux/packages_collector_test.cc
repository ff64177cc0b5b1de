#include "agent/facts/linux/packages_collector.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/exec/command_runner.h"
#include "common/facts/fact_schema.h"
#include "common/util/clock.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/linux/fake_system_b.h"

namespace trellis::agent::linux_facts {
namespace {

using linux_b_testing::Cell;
using linux_b_testing::FakeSystemB;
using linux_b_testing::Fixture;
using linux_b_testing::Rows;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The exact argv the collector runs, joined as FakeCommandRunner keys it.
constexpr char kRpmQuery[] =
    "rpm -qa --queryformat %{NAME}\\t%{VERSION}-%{RELEASE}\\n";

std::vector<std::string> Show(const std::vector<InstalledPackage>& pkgs) {
  std::vector<std::string> out;
  for (const InstalledPackage& p : pkgs) {
    out.push_back(absl::StrCat(p.name, " ", p.version));
  }
  return out;
}

TEST(LinuxPackagesParseTest, DpkgStatusInstalledOnly) {
  // Recorded stanzas plus removed-with-config, held, half-configured,
  // purged, not-installed, a second architecture and a nameless stanza.
  EXPECT_THAT(
      Show(ParseDpkgStatus(Fixture("packages/dpkg_status"))),
      ElementsAre("base-files 12.4+deb12u11", "bash 5.2.15-2+b8",
                  "libc6 2.36-9+deb12u14", "openssl 3.0.22-1~deb12u2",
                  "tzdata 2025b-0+deb12u2", "firefox-esr 115.9.1esr-1~deb12u1",
                  "libc6 2.36-9+deb12u14"));
}

TEST(LinuxPackagesParseTest, TruncatedDpkgStatusDropsTheCutStanza) {
  EXPECT_THAT(Show(ParseDpkgStatus(Fixture("packages/dpkg_status_truncated"))),
              ElementsAre("base-files 12.4+deb12u11", "bash 5.2.15-2+b8",
                          "libc6 2.36-9+deb12u14", "openssl 3.0.22-1~deb12u2",
                          "tzdata 2025b-0+deb12u2"));
}

TEST(LinuxPackagesParseTest, DpkgStatusOddInputs) {
  EXPECT_THAT(ParseDpkgStatus(Fixture("packages/empty")), IsEmpty());
  EXPECT_THAT(ParseDpkgStatus(Fixture("packages/dpkg_status_no_installed")),
              IsEmpty());
  // CRLF, lower-case field names, continuation lines, first value wins.
  EXPECT_THAT(Show(ParseDpkgStatus("package: a\r\nstatus: install ok "
                                   "installed\r\nversion: 1\r\n"
                                   "Description: x\r\n Version: 9\r\n"
                                   "Version: 2\r\n")),
              ElementsAre("a 1"));
}

TEST(LinuxPackagesParseTest, RpmQuery) {
  EXPECT_THAT(
      Show(ParseRpmQuery(Fixture("packages/rpm_qa.txt"))),
      ElementsAre("kernel-core 6.7.9-200.fc39", "glibc 2.38-16.fc39",
                  "bash 5.2.26-1.fc39", "openssl-libs 3.1.1-4.fc39",
                  "openssh-server 9.3p1-10.fc39",
                  "gpg-pubkey 18b8e74c-62f2920f", "firefox 124.0.1-1.fc39",
                  "NetworkManager 1.44.2-1.fc39"));
  EXPECT_THAT(ParseRpmQuery(""), IsEmpty());
}

TEST(LinuxPackagesParseTest, TableCarriesTheSource) {
  v1::FactTable t = PackagesTable({{"bash", "5.2"}}, "rpm");
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_THAT(Rows(t), ElementsAre("bash|5.2|rpm"));
}

class LinuxPackagesCollectTest : public ::testing::Test {
 protected:
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewPackagesCollector()->Collect(ctx);
  }
  void SetRpm() {
    runner_.Set(kRpmQuery, {0, Fixture("packages/rpm_qa.txt"), ""});
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxPackagesCollectTest, DpkgFirst) {
  system_.AddFile("/var/lib/dpkg/status", Fixture("packages/dpkg_status"));
  SetRpm();
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewPackagesCollector()->table(), "packages");
  ASSERT_EQ(t.rows_size(), 7);
  EXPECT_EQ(Rows(t)[1], "bash|5.2.15-2+b8|deb");
  EXPECT_THAT(runner_.calls(), IsEmpty());
}

TEST_F(LinuxPackagesCollectTest, RpmWhenThereIsNoDpkg) {
  SetRpm();
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  ASSERT_EQ(t.rows_size(), 8);
  EXPECT_EQ(Rows(t)[0], "kernel-core|6.7.9-200.fc39|rpm");
  EXPECT_THAT(runner_.calls(), ElementsAre(kRpmQuery));
}

TEST_F(LinuxPackagesCollectTest, RpmWhenDpkgHoldsNothing) {
  system_.AddFile("/var/lib/dpkg/status",
                  Fixture("packages/dpkg_status_no_installed"));
  SetRpm();
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(Cell(t, "source", 0), "rpm");
}

TEST_F(LinuxPackagesCollectTest, EmptyDpkgAndNoRpmIsUnknown) {
  system_.AddFile("/var/lib/dpkg/status", "");
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("lists no installed package"));
}

TEST_F(LinuxPackagesCollectTest, NeitherManagerIsUnknown) {
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("rpm is not installed"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/var/lib/dpkg/status"));
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST_F(LinuxPackagesCollectTest, UnreadableDpkgStatusIsUnknown) {
  system_.SetError("/var/lib/dpkg/status",
                   absl::PermissionDeniedError("cannot open: denied"));
  SetRpm();
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/var/lib/dpkg/status"));
}

TEST_F(LinuxPackagesCollectTest, FailingRpmIsUnknown) {
  runner_.Set(kRpmQuery,
              {1, "", "error: rpmdb: BDB0113 Thread/process 4242 failed\n"});
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("exited with status 1"));
  EXPECT_THAT(t.unknown_reason(), HasSubstr("BDB0113"));

  runner_.SetError(
      kRpmQuery, absl::DeadlineExceededError("rpm did not finish within 10s"));
  t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("did not finish"));
}

TEST(LinuxPackagesRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewPackagesCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "packages: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // A dpkg system reports deb packages, and has at least one.
  if (FileExists("/var/lib/dpkg/status")) {
    ASSERT_GT(t.rows_size(), 0);
    EXPECT_EQ(Cell(t, "source", 0), "deb");
  }
  std::cout << "packages: " << t.rows_size() << " rows, e.g.\n";
  std::vector<std::string> rows = Rows(t);
  for (size_t i = 0; i < rows.size() && i < 5; ++i) {
    std::cout << "  " << rows[i] << "\n";
  }
}

}  // namespace
}  // namespace trellis::agent::linux_facts
