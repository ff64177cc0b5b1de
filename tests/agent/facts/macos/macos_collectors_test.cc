#include "agent/facts/macos/macos_collectors.h"

#include <set>
#include <string>

#include "common/facts/fact_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/facts/macos/macos_test_util.h"

namespace trellis::agent::macos_facts {
namespace {

using macos_test::CollectChecked;
using ::testing::UnorderedElementsAre;

TEST(MacosCollectorsTest, OneCollectorPerTableEachDeclaredForMacos) {
  std::set<std::string> tables;
  for (const auto& collector : AllMacosCollectors()) {
    const facts::TableSpec* spec = facts::FindTable(collector->table());
    ASSERT_NE(spec, nullptr) << collector->table();
    EXPECT_TRUE(spec->platforms & facts::kMacos) << collector->table();
    EXPECT_TRUE(tables.insert(collector->table()).second)
        << "duplicate " << collector->table();
  }
  EXPECT_THAT(tables,
              UnorderedElementsAre("os_version", "disk_encryption", "firewall",
                                   "screen_lock", "os_updates", "secure_boot"));
}

TEST(MacosCollectorsTest, OnAMachineWithoutTheToolsEverythingIsUnknown) {
  // Linux, where none of the macOS tools exist: nothing may be invented.
  for (const auto& collector : AllMacosCollectors()) {
    FakeCommandRunner runner;
    v1::FactTable t = CollectChecked(*collector, runner);
    EXPECT_EQ(t.status(), v1::FactTable::STATUS_UNKNOWN) << collector->table();
    EXPECT_EQ(t.rows_size(), 0) << collector->table();
    EXPECT_FALSE(t.unknown_reason().empty()) << collector->table();
  }
}

}  // namespace
}  // namespace trellis::agent::macos_facts
