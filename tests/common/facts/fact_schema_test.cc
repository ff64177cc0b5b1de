#include "common/facts/fact_schema.h"

#include <set>

#include "common/facts/table_builder.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::facts {
namespace {

TEST(FactSchemaTest, DocsFactsMdIsInStepWithTheDeclarations) {
  auto doc = ReadFile(std::string(TRELLIS_SOURCE_DIR) + "/docs/facts.md");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*doc, RenderFactsReference())
      << "docs/facts.md is stale: regenerate it with "
         "`trellisctl facts reference > docs/facts.md`";
}

TEST(FactSchemaTest, NamesAreUniqueAndWellFormed) {
  std::set<std::string> tables;
  for (const TableSpec& t : FactSchema()) {
    EXPECT_TRUE(tables.insert(t.name).second) << t.name;
    EXPECT_NE(t.platforms, 0u) << t.name;
    std::set<std::string> columns;
    for (const ColumnSpec& c : t.columns) {
      EXPECT_TRUE(columns.insert(c.name).second) << t.name << "." << c.name;
      EXPECT_FALSE(c.description.empty()) << t.name << "." << c.name;
    }
  }
  EXPECT_NE(FindTable("firewall"), nullptr);
  EXPECT_EQ(FindTable("registry"), nullptr);
}

TEST(FactSchemaTest, CheckTableAgainstSchema) {
  v1::FactTable good =
      TableBuilder("vpn").Row().Text("name", "wg0").Bool("up", true).Build();
  EXPECT_TRUE(CheckTableAgainstSchema(good).ok());
  v1::FactTable wrong_type = good;
  wrong_type.mutable_rows(0)->mutable_values(2)->set_text_value("yes");
  EXPECT_THAT(CheckTableAgainstSchema(wrong_type).message(),
              ::testing::HasSubstr("column up: expected BOOLEAN"));
  v1::FactTable renamed = good;
  renamed.set_columns(0, "nom");
  EXPECT_FALSE(CheckTableAgainstSchema(renamed).ok());
  v1::FactTable unknown_name = good;
  unknown_name.set_name("keylogger");
  EXPECT_THAT(CheckTableAgainstSchema(unknown_name).message(),
              ::testing::HasSubstr("unknown fact table"));
}

TEST(FactSchemaTest, PersonalDevicesSendOnlyBasicTables) {
  EXPECT_TRUE(AllowedFor(PrivacyClass::kBasic, v1::OWNERSHIP_PERSONAL));
  EXPECT_FALSE(AllowedFor(PrivacyClass::kInventory, v1::OWNERSHIP_PERSONAL));
  EXPECT_FALSE(AllowedFor(PrivacyClass::kSensitive, v1::OWNERSHIP_PERSONAL));
  EXPECT_TRUE(AllowedFor(PrivacyClass::kSensitive, v1::OWNERSHIP_CORPORATE));
}

}  // namespace
}  // namespace trellis::facts
