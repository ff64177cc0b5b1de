#include "server/checkin/report_filter.h"

#include "common/facts/table_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::PostureReport Report() {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  *r.add_tables() =
      facts::TableBuilder("firewall").Row().Bool("enabled", true).Build();
  *r.add_tables() =
      facts::TableBuilder("packages").Row().Text("name", "vim").Build();
  *r.add_tables() =
      facts::TableBuilder("users").Row().Text("username", "alice").Build();
  v1::FactTable future;
  future.set_name("future_table");
  future.set_status(v1::FactTable::STATUS_OK);
  future.add_columns("x");
  *r.add_tables() = future;
  return r;
}

TEST(ReportFilterTest, CorporateKeepsDeclaredTables) {
  auto f = FilterReport(Report(), v1::OWNERSHIP_CORPORATE);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->report.tables_size(), 3);
  EXPECT_THAT(f->dropped_tables, ElementsAre("future_table"));
}

TEST(ReportFilterTest, PersonalKeepsBasicOnly) {
  auto f = FilterReport(Report(), v1::OWNERSHIP_PERSONAL);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->report.tables_size(), 1);
  EXPECT_EQ(f->report.tables(0).name(), "firewall");
  EXPECT_THAT(f->dropped_tables,
              ElementsAre("packages", "users", "future_table"));
}

TEST(ReportFilterTest, SubsetOfColumnsIsFineWrongTypesAreNot) {
  v1::PostureReport r;
  v1::FactTable* t = r.add_tables();
  t->set_name("firewall");
  t->set_status(v1::FactTable::STATUS_OK);
  t->add_columns("enabled");
  t->add_rows()->add_values()->set_bool_value(true);
  EXPECT_TRUE(FilterReport(r, v1::OWNERSHIP_CORPORATE).ok());
  t->mutable_rows(0)->mutable_values(0)->set_text_value("yes");
  auto bad = FilterReport(r, v1::OWNERSHIP_CORPORATE);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("table firewall row 0 column enabled: expected BOOLEAN"));
  t->set_columns(0, "colour");
  EXPECT_THAT(FilterReport(r, v1::OWNERSHIP_CORPORATE).status().message(),
              HasSubstr("column 'colour' is not declared"));
}

}  // namespace
}  // namespace trellis::server
