#include "agent/facts/windows/users_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/windows/windows_test_util.h"

namespace trellis::agent::windows_facts {
namespace {

using ::testing::HasSubstr;
using windows_test::CollectChecked;
using windows_test::Fixture;
using windows_test::Key;
using windows_test::Ok;
using windows_test::Result;
using windows_test::RowString;

TEST(WindowsUsersTest, EnglishMachineWithDomainAndAzureAdAdmins) {
  auto users = ParseLocalUsers(Fixture("local_users_en.json"));
  ASSERT_TRUE(users.ok()) << users.status();
  ASSERT_EQ(users->size(), 6u);
  auto admins = ParseLocalGroupMembers(Fixture("administrators_en.json"));
  ASSERT_TRUE(admins.ok()) << admins.status();
  ASSERT_EQ(admins->size(), 4u);
  EXPECT_EQ((*admins)[2].principal_source, 3);
  v1::FactTable t = BuildUsersTable(*users, *admins);
  // Six local accounts plus the Azure AD admin; the domain group gets none.
  ASSERT_EQ(t.rows_size(), 7);
  EXPECT_EQ(RowString(t, 0),
            "username=Administrator uid=NULL is_admin=true has_password=true "
            "locked=true is_system=false shell=NULL");
  EXPECT_EQ(RowString(t, 1),
            "username=alice uid=NULL is_admin=true has_password=true "
            "locked=false is_system=false shell=NULL");
  EXPECT_EQ(
      RowString(t, 2),
      "username=DefaultAccount uid=NULL is_admin=false has_password=false "
      "locked=true is_system=true shell=NULL");
  EXPECT_EQ(RowString(t, 3),
            "username=Guest uid=NULL is_admin=false has_password=false "
            "locked=true is_system=true shell=NULL");
  EXPECT_EQ(RowString(t, 4),
            "username=kiosk uid=NULL is_admin=false has_password=false "
            "locked=false is_system=false shell=NULL");
  EXPECT_EQ(RowString(t, 5),
            "username=WDAGUtilityAccount uid=NULL is_admin=false "
            "has_password=true locked=true is_system=true shell=NULL");
  EXPECT_EQ(RowString(t, 6),
            "username=AzureAD\\BobSmith uid=NULL is_admin=true "
            "has_password=NULL locked=NULL is_system=NULL shell=NULL");
}

TEST(WindowsUsersTest, GermanNamesMatchedBySid) {
  auto users = ParseLocalUsers(Fixture("local_users_de.json"));
  ASSERT_TRUE(users.ok()) << users.status();
  // One member: printed as an object, PrincipalSource by name, ObjectClass
  // in German.
  auto admins =
      ParseLocalGroupMembers(Fixture("administrators_single_de.json"));
  ASSERT_TRUE(admins.ok()) << admins.status();
  ASSERT_EQ(admins->size(), 1u);
  EXPECT_EQ((*admins)[0].principal_source, 1);
  v1::FactTable t = BuildUsersTable(*users, *admins);
  ASSERT_EQ(t.rows_size(), 4);
  // "Gast" is the Guest account by its RID, whatever it is called.
  EXPECT_EQ(RowString(t, 2),
            "username=Gast uid=NULL is_admin=false has_password=false "
            "locked=true is_system=true shell=NULL");
  EXPECT_EQ(RowString(t, 3),
            "username=jürgen uid=NULL is_admin=true has_password=true "
            "locked=false is_system=false shell=NULL");
}

TEST(WindowsUsersTest, WithoutSidsNamesMatchOnlyLocalMembers) {
  std::vector<LocalUser> users = {{"alice", true, true, std::nullopt},
                                  {"Guest", false, false, std::nullopt}};
  std::vector<GroupMember> admins = {
      {"CONTOSO\\alice", "User", 2, std::nullopt},
      {"PC\\Guest", "User", 1, std::nullopt}};
  v1::FactTable t = BuildUsersTable(users, admins);
  ASSERT_EQ(t.rows_size(), 3);
  EXPECT_THAT(RowString(t, 0),
              HasSubstr("username=alice uid=NULL is_admin=false"));
  EXPECT_THAT(RowString(t, 1),
              HasSubstr("username=Guest uid=NULL is_admin=true"));
  EXPECT_THAT(RowString(t, 1), HasSubstr("is_system=true"));
  EXPECT_THAT(RowString(t, 2), HasSubstr("username=CONTOSO\\alice"));
}

TEST(WindowsUsersTest, OddOutputsAreErrors) {
  EXPECT_THAT(ParseLocalUsers("").status().message(),
              HasSubstr("no local users"));
  EXPECT_FALSE(ParseLocalUsers(R"([{"Enabled": true}])").ok());
  EXPECT_FALSE(ParseLocalUsers(Fixture("local_users_cp850_mangled.json")).ok());
  EXPECT_FALSE(ParseLocalGroupMembers(R"([{"ObjectClass": "User"}])").ok());
  EXPECT_FALSE(
      ParseLocalGroupMembers(Fixture("administrators_orphaned_sid.txt")).ok());
  // An empty Administrators group is possible in principle, and not an error.
  EXPECT_TRUE(ParseLocalGroupMembers("").ok());
}

TEST(WindowsUsersCollectorTest, HappyPath) {
  FakeCommandRunner runner;
  runner.Set(Key(kLocalUsersScript), Ok(Fixture("local_users_en.json")));
  runner.Set(Key(kAdministratorsScript), Ok(Fixture("administrators_en.json")));
  auto collector = NewUsersCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  ASSERT_EQ(t.status(), v1::FactTable::STATUS_OK);
  EXPECT_EQ(t.rows_size(), 7);
}

TEST(WindowsUsersCollectorTest, ToolMissingIsUnknown) {
  FakeCommandRunner runner;
  auto collector = NewUsersCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Get-LocalUser (PowerShell): powershell.exe"));
}

TEST(WindowsUsersCollectorTest, OrphanedSidInAdministratorsIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kLocalUsersScript), Ok(Fixture("local_users_en.json")));
  runner.Set(Key(kAdministratorsScript),
             Result(1, "", Fixture("administrators_orphaned_sid.txt")));
  auto collector = NewUsersCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(),
              HasSubstr("Get-LocalGroupMember (PowerShell): exited with status "
                        "1: Get-LocalGroupMember : Failed to compare two "
                        "elements in the array."));
}

TEST(WindowsUsersCollectorTest, UnparseableIsUnknown) {
  FakeCommandRunner runner;
  runner.Set(Key(kLocalUsersScript),
             Ok(Fixture("local_users_cp850_mangled.json")));
  runner.Set(Key(kAdministratorsScript), Ok(Fixture("administrators_en.json")));
  auto collector = NewUsersCollector();
  v1::FactTable t = CollectChecked(*collector, runner);
  EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN);
  EXPECT_THAT(t.unknown_reason(), HasSubstr("Get-LocalUser (PowerShell): "));
}

}  // namespace
}  // namespace trellis::agent::windows_facts
