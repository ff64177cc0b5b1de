#include "agent/facts/android/android_collectors.h"

#include <set>
#include <string>

#include "common/facts/fact_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/android/android_test_util.h"

namespace trellis::agent::android_facts {
namespace {

using android_test::CollectChecked;
using ::testing::UnorderedElementsAre;

TEST(AndroidCollectorsTest, OneCollectorPerTableEachDeclaredForAndroid) {
  std::set<std::string> tables;
  for (const auto& collector : AllAndroidCollectors()) {
    const facts::TableSpec* spec = facts::FindTable(collector->table());
    ASSERT_NE(spec, nullptr) << collector->table();
    EXPECT_TRUE(spec->platforms & facts::kAndroid) << collector->table();
    EXPECT_TRUE(tables.insert(collector->table()).second)
        << "duplicate " << collector->table();
  }
  EXPECT_THAT(tables, UnorderedElementsAre("os_version", "disk_encryption",
                                           "screen_lock", "mobile_security"));
}

TEST(AndroidCollectorsTest, OnAMachineWithoutTheToolsEverythingIsUnknown) {
  // Linux, where none of the macOS tools exist: nothing may be invented.
  for (const auto& collector : AllAndroidCollectors()) {
    FakeCommandRunner runner;
    v1::FactTable t = CollectChecked(*collector, runner);
    EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN) << collector->table();
    EXPECT_EQ(t.rows_size(), 0) << collector->table();
    EXPECT_FALSE(t.unknown_reason().empty()) << collector->table();
  }
}

TEST(AndroidCollectorsTest, EveryRecordedDeviceGivesSchemaValidTables) {
  for (const char* session :
       {"pixel8_android14.session", "emulator_android13_userdebug.session",
        "galaxy_android9_crlf.session", "android6_unencrypted.session"}) {
    FakeCommandRunner runner;
    ASSERT_GT(android_test::LoadSession(session, runner), 10) << session;
    for (const auto& collector : AllAndroidCollectors()) {
      v1::FactTable t = CollectChecked(*collector, runner);
      EXPECT_EQ(t.status(), v1::FactTable::STATUS_OK)
          << session << " " << collector->table() << ": " << t.unknown_reason();
      EXPECT_EQ(t.rows_size(), 1) << session << " " << collector->table();
    }
  }
}

}  // namespace
}  // namespace trellis::agent::android_facts
