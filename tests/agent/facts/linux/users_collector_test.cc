#include "agent/facts/linux/users_collector.h"

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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Names(const std::vector<PasswdEntry>& entries) {
  std::vector<std::string> names;
  for (const PasswdEntry& e : entries) names.push_back(e.name);
  return names;
}

// username|uid|is_admin|has_password|locked|is_system|shell
std::vector<std::string> RowText(const std::vector<UserRow>& rows) {
  return Rows(UsersTable(rows));
}

TEST(LinuxUsersParseTest, ParsesRecordedPasswd) {
  std::vector<PasswdEntry> entries = ParsePasswd(Fixture("users/passwd"));
  ASSERT_EQ(entries.size(), 29u);
  EXPECT_EQ(entries[0].name, "root");
  EXPECT_EQ(entries[0].uid, 0);
  EXPECT_EQ(entries[0].shell, "/bin/bash");
  EXPECT_EQ(entries[17].name, "nobody");
  EXPECT_EQ(entries[17].uid, 65534);
  EXPECT_EQ(entries[25].name, "kiosk");
  EXPECT_EQ(entries[25].shell, "");
  EXPECT_EQ(entries[27].password, "abRr3qz8Lf0sA");
}

TEST(LinuxUsersParseTest, SkipsMalformedPasswdLines) {
  // Comments, NIS entries, bad ids, wrong field counts, an empty name and a
  // duplicate root all go; a CRLF line and a last line without newline stay.
  std::vector<PasswdEntry> entries =
      ParsePasswd(Fixture("users/passwd_malformed"));
  EXPECT_THAT(Names(entries), ElementsAre("root", "dave", "erin"));
  EXPECT_EQ(entries[0].uid, 0);  // the first root wins, as for getpwnam
  EXPECT_EQ(entries[1].shell, "/bin/bash");
  EXPECT_EQ(entries[2].uid, 1015);
}

TEST(LinuxUsersParseTest, TruncatedPasswdDropsOnlyTheCutLine) {
  std::vector<PasswdEntry> entries =
      ParsePasswd(Fixture("users/passwd_truncated"));
  std::vector<std::string> names = Names(entries);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.back(), "alice");
  EXPECT_EQ(names.size(), 23u);
}

TEST(LinuxUsersParseTest, EmptyFilesGiveNothing) {
  EXPECT_THAT(ParsePasswd(Fixture("users/empty")), IsEmpty());
  EXPECT_THAT(ParseGroup(Fixture("users/empty")), IsEmpty());
  EXPECT_THAT(ParseShadow(Fixture("users/empty")), IsEmpty());
}

TEST(LinuxUsersParseTest, ParsesGroupsAndSkipsMalformedOnes) {
  std::vector<GroupEntry> groups = ParseGroup(Fixture("users/group"));
  ASSERT_EQ(groups.size(), 44u);
  EXPECT_EQ(groups[17].name, "sudo");
  EXPECT_EQ(groups[17].gid, 27);
  EXPECT_THAT(groups[17].members, ElementsAre("alice", "deploy"));

  std::vector<GroupEntry> odd = ParseGroup(Fixture("users/group_malformed"));
  ASSERT_EQ(odd.size(), 3u);  // root, sudo, staff; wheel and admin broken
  EXPECT_EQ(odd[1].name, "sudo");
  EXPECT_THAT(odd[1].members, ElementsAre("alice", "bob"));
  EXPECT_EQ(odd[2].name, "staff");
}

TEST(LinuxUsersParseTest, ParsesShadow) {
  auto shadow = ParseShadow(Fixture("users/shadow"));
  EXPECT_EQ(shadow.size(), 29u);
  EXPECT_TRUE(shadow.at("root").locked);
  EXPECT_FALSE(shadow.at("alice").locked);
  EXPECT_TRUE(shadow.at("alice").has_password);
  EXPECT_TRUE(shadow.at("bob").locked);
  EXPECT_FALSE(shadow.at("kiosk").has_password);

  auto odd = ParseShadow(Fixture("users/shadow_malformed"));
  EXPECT_EQ(odd.count("alice"), 0u);  // 3 fields: damaged, skipped
  EXPECT_FALSE(odd.at("bob").has_password);
  EXPECT_TRUE(odd.at("root").locked);
}

TEST(LinuxUsersParseTest, PasswordStateOfHashFields) {
  auto s = [](const char* f) {
    PasswordState p = PasswordStateOf(f);
    return std::string(p.has_password ? "pw" : "nopw") +
           (p.locked ? ",locked" : "");
  };
  EXPECT_EQ(s(""), "nopw");
  EXPECT_EQ(s("$y$j9T$abc$def"), "pw");
  EXPECT_EQ(s("!$y$j9T$abc$def"), "pw,locked");
  EXPECT_EQ(s("!"), "pw,locked");
  EXPECT_EQ(s("*"), "pw,locked");
  EXPECT_EQ(s("!*"), "pw,locked");
}

TEST(LinuxUsersParseTest, LoginShells) {
  EXPECT_FALSE(IsLoginShell("/usr/sbin/nologin"));
  EXPECT_FALSE(IsLoginShell("/sbin/nologin"));
  EXPECT_FALSE(IsLoginShell("/bin/false"));
  EXPECT_FALSE(IsLoginShell("/usr/bin/false"));
  EXPECT_TRUE(IsLoginShell("/bin/bash"));
  EXPECT_TRUE(IsLoginShell("/bin/sync"));
  EXPECT_TRUE(IsLoginShell(""));  // passwd(5): empty means /bin/sh
}

TEST(LinuxUsersParseTest, BuildsRowsForLoginAdminAndRootAccounts) {
  auto passwd = ParsePasswd(Fixture("users/passwd"));
  auto groups = ParseGroup(Fixture("users/group"));
  auto shadow = ParseShadow(Fixture("users/shadow"));
  EXPECT_THAT(RowText(BuildUserRows(passwd, groups, &shadow)),
              ElementsAre("root|0|true|true|true|true|/bin/bash",
                          "sync|4|false|true|true|true|/bin/sync",
                          "postgres|102|false|true|true|true|/bin/bash",
                          "alice|1000|true|true|false|false|/bin/bash",
                          "bob|1001|false|true|true|false|/usr/bin/zsh",
                          // An admin without a login shell is still reported.
                          "deploy|1002|true|true|true|false|/usr/sbin/nologin",
                          "kiosk|1003|false|false|false|false|NULL",
                          // Admin through the primary group.
                          "carol|1004|true|true|false|false|/bin/bash",
                          // The hash in /etc/passwd decides, not shadow's '*'.
                          "legacy|1005|false|true|false|false|/bin/sh"));
}

TEST(LinuxUsersParseTest, WithoutShadowPasswordColumnsAreNull) {
  auto passwd = ParsePasswd(Fixture("users/passwd"));
  auto groups = ParseGroup(Fixture("users/group"));
  std::vector<std::string> rows =
      RowText(BuildUserRows(passwd, groups, nullptr));
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0], "root|0|true|NULL|NULL|true|/bin/bash");
  EXPECT_EQ(rows[3], "alice|1000|true|NULL|NULL|false|/bin/bash");
  EXPECT_EQ(rows[8], "legacy|1005|false|true|false|false|/bin/sh");
}

TEST(LinuxUsersParseTest, NobodyIsSystemAndWheelIsAdmin) {
  std::vector<PasswdEntry> passwd = ParsePasswd(
      "nobody:x:65534:65534:nobody:/:/bin/sh\n"
      "kim:x:1500:1500::/home/kim:/bin/bash\n"
      "lee:x:1501:1501::/home/lee:/bin/bash\n");
  std::vector<GroupEntry> groups =
      ParseGroup("wheel:x:10:kim\nadmin:x:118:lee\n");
  EXPECT_THAT(RowText(BuildUserRows(passwd, groups, nullptr)),
              ElementsAre("nobody|65534|false|NULL|NULL|true|/bin/sh",
                          "kim|1500|true|NULL|NULL|false|/bin/bash",
                          "lee|1501|true|NULL|NULL|false|/bin/bash"));
}

class LinuxUsersCollectTest : public ::testing::Test {
 protected:
  LinuxUsersCollectTest() {
    system_.AddFile("/etc/passwd", Fixture("users/passwd"));
    system_.AddFile("/etc/group", Fixture("users/group"));
    system_.AddFile("/etc/shadow", Fixture("users/shadow"));
  }
  v1::FactTable Collect() {
    CollectContext ctx{&system_, &runner_, &clock_};
    return NewUsersCollector()->Collect(ctx);
  }
  FakeSystemB system_;
  FakeCommandRunner runner_;
  FakeClock clock_;
};

TEST_F(LinuxUsersCollectTest, ReportsAccountsFromTheThreeFiles) {
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK) << t.unknown_reason();
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
  EXPECT_EQ(NewUsersCollector()->table(), "users");
  ASSERT_EQ(t.rows_size(), 9);
  EXPECT_EQ(Cell(t, "username", 6), "kiosk");
  EXPECT_EQ(Cell(t, "has_password", 6), "false");
  EXPECT_THAT(runner_.calls(), IsEmpty());  // files only, no commands
}

TEST_F(LinuxUsersCollectTest, UnreadableShadowLeavesPasswordColumnsNull) {
  system_.SetError("/etc/shadow", absl::PermissionDeniedError(
                                      "cannot open /etc/shadow: denied"));
  v1::FactTable t = Collect();
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  ASSERT_EQ(t.rows_size(), 9);
  EXPECT_EQ(Cell(t, "has_password", 0), "NULL");
  EXPECT_EQ(Cell(t, "locked", 0), "NULL");
  EXPECT_EQ(Cell(t, "is_admin", 0), "true");
}

TEST_F(LinuxUsersCollectTest, MissingPasswdIsUnknown) {
  system_.RemoveFile("/etc/passwd");
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/etc/passwd"));
  EXPECT_EQ(t.rows_size(), 0);
  EXPECT_TRUE(facts::CheckTableAgainstSchema(t).ok());
}

TEST_F(LinuxUsersCollectTest, GarbagePasswdIsUnknown) {
  system_.AddFile("/etc/passwd", "this is not a passwd file\n");
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("no parseable account"));
}

TEST_F(LinuxUsersCollectTest, UnreadableGroupIsUnknown) {
  system_.SetError("/etc/group",
                   absl::PermissionDeniedError("cannot open /etc/group"));
  v1::FactTable t = Collect();
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("/etc/group"));
}

TEST(LinuxUsersRealMachineTest, CollectsThisMachine) {
  RealSystemSource system;
  RealCommandRunner runner;
  CollectContext ctx{&system, &runner, Clock::Real()};
  v1::FactTable t = NewUsersCollector()->Collect(ctx);
  ASSERT_TRUE(facts::CheckTableAgainstSchema(t).ok())
      << facts::CheckTableAgainstSchema(t);
  if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(t.unknown_reason().empty());
    std::cout << "users: UNKNOWN (" << t.unknown_reason() << ")\n";
    return;
  }
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  // Every Linux machine has root, and root is always reported.
  ASSERT_GE(t.rows_size(), 1);
  bool root = false;
  for (int r = 0; r < t.rows_size(); ++r) root |= Cell(t, "uid", r) == "0";
  EXPECT_TRUE(root);
  std::cout << "users: " << t.rows_size() << " rows\n";
  for (const std::string& row : Rows(t)) std::cout << "  " << row << "\n";
}

}  // namespace
}  // namespace trellis::agent::linux_facts
