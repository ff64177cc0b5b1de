#include "agent/facts/linux/processes_collector.h"

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

using linux_b_testing::Cell;
using linux_b_testing::FakeSystemB;
using linux_b_testing::Fixture;
using linux_b_testing::Rows;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(LinuxProcessesParseTest, ProcEntriesThatArePids) {
  EXPECT_EQ(ParseProcPid("1"), 1);
  EXPECT_EQ(ParseProcPid("4194304"), 4194304);
  EXPECT_EQ(ParseProcPid("self"), std::nullopt);
  EXPECT_EQ(ParseProcPid("net"), std::nullopt);
  EXPECT_EQ(ParseProcPid(""), std::nullopt);
  EXPECT_EQ(ParseProcPid("0"), std::nullopt);
  EXPECT_EQ(ParseProcPid("12a"), std::nullopt);
  EXPECT_EQ(ParseProcPid("-1"), std::nullopt);
}

TEST(LinuxProcessesParseTest, CommWithoutNewline) {
  EXPECT_EQ(ParseComm("systemd\n"), "systemd");
  EXPECT_EQ(ParseComm("Web Content\n"), "Web Content");
  EXPECT_EQ(ParseComm("kworker/0:1-events\n"), "kworker/0:1-events");
  EXPECT_EQ(ParseComm("\n"), std::nullopt);
  EXPECT_EQ(ParseComm(""), std::nullopt);
}

TEST(LinuxProcessesParseTest, RealUidFromRecordedStatus) {
  EXPECT_EQ(ParseStatusRealUid(Fixture("processes/desktop/proc/1/status")), 0);
  EXPECT_EQ(ParseStatusRealUid(Fixture("processes/desktop/proc/1337/status")),
            1000);
  // passwd runs setuid root: the real uid is the user who started it.
  EXPECT_EQ(ParseStatusRealUid(Fixture("processes/desktop/proc/2051/status")),
            1000);
  EXPECT_EQ(ParseStatusRealUid(Fixture("processes/status_no_uid")),
            std::nullopt);
  EXPECT_EQ(ParseStatusRealUid(Fixture("processes/status_bad_uid")),
            std::nullopt);
  EXPECT_EQ(ParseStatusRealUid(""), std::nullopt);
}

TEST(LinuxProcessesParseTest, UidNamesKeepTheFirstAccount) {
  auto names = UidNames(
      "root:x:0:0::/root:/bin/bash\n"
      "toor:x:0:0::/root:/bin/sh\n"
      "alice:x:1000:1000::/home/alice:/bin/bash\n");
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(names.at(0), "root");
  EXPECT_EQ(names.at(1000), "alice");
}

TEST(LinuxProcessesParseTest, TableNamesUsersAndLeavesUnknownOnesNull) {
  std::vector<ProcessRecord> procs = {{1, "systemd", 0},
                                      {3100, "containerd-shim", 200000},
                                      {4, std::nullopt, std::nullopt}};
  v1::FactTable t = ProcessesTable(procs, {{0, "root"}});
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_THAT(Rows(t), ElementsAre("1|systemd|root",
                                   "3100|containerd-shim|NULL", "4|NULL|NULL"));
}

class LinuxProcessesCollectTest : public ::testing::Test {
 protected:
  LinuxProcessesCollectTest() { system_.LoadTree("processes/desktop"); }
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewProcessesCollector()->Collect(ctx);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxProcessesCollectTest, ReadsEveryProcess) {
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewProcessesCollector()->table(), "processes");
  // /proc is listed in byte order; 4000 lost its status and 4001 its comm
  // mid-read (they exited), so they are left out.
  EXPECT_THAT(
      Rows(t),
      ElementsAre("1|systemd|root", "1337|firefox-esr|alice",
                  "1402|Web Content|alice", "17|ksoftirqd/1|root",
                  "2|kthreadd|root", "2051|passwd|alice",
                  "3100|containerd-shim|NULL", "412|systemd-journal|root",
                  "688|sshd|root", "702|avahi-daemon|NULL"));
}

TEST_F(LinuxProcessesCollectTest, NeverReadsCommandLinesOrEnvironments) {
  Collect();
  for (const std::string& path : system_.reads()) {
    EXPECT_THAT(path, Not(HasSubstr("cmdline")));
    EXPECT_THAT(path, Not(HasSubstr("environ")));
  }
  EXPECT_THAT(system_.reads(), Contains("/proc/1337/comm"));
}

TEST_F(LinuxProcessesCollectTest, WithoutPasswdUsersAreNull) {
  system_.RemoveFile("/etc/passwd");
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 10);
  EXPECT_EQ(Cell(t, "user", 0), "NULL");
  EXPECT_EQ(Cell(t, "name", 0), "systemd");
}

TEST_F(LinuxProcessesCollectTest, UnlistableProcIsUnknown) {
  system_.SetError("/proc", absl::NotFoundError("cannot list /proc: gone"));
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/proc"));
  EXPECT_EQ(t.rows_size(), 0);
}

TEST(LinuxProcessesCollectEmptyTest, ProcWithoutProcessesIsUnknown) {
  FakeSystemB system;
  system.AddFile("/proc/uptime", "1.0 1.0\n");
  FakeCommandRunner runner;
  FakeClock clock;
  CollectContext ctx{&system, &runner, &clock};
  v1::FactTable t = NewProcessesCollector()->Collect(ctx);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no process"));
}

TEST(LinuxProcessesRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewProcessesCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "processes: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // This test process itself must be among them.
  bool self = false;
  std::string me = absl::StrCat(::getpid());
  for (int r = 0; r < t.rows_size(); ++r) self |= Cell(t, "pid", r) == me;
  EXPECT_TRUE(self) << "pid " << me << " not listed";
  std::cout << "processes: " << t.rows_size() << " rows, e.g.\n";
  std::vector<std::string> rows = Rows(t);
  for (size_t i = 0; i < rows.size() && i < 8; ++i) {
    std::cout << "  " << rows[i] << "\n";
  }
}

}  // namespace
}  // namespace trellis::agent::linux_facts
