#include "server/checkin/report_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

v1::FactTable Table(const std::string& name,
                    const std::vector<std::string>& columns) {
  v1::FactTable t;
  t.set_name(name);
  t.set_status(v1::FactTable::STATUS_OK);
  for (const auto& c : columns) t.add_columns(c);
  return t;
}

void AddTextRow(v1::FactTable* t, const std::vector<std::string>& values) {
  v1::FactRow* row = t->add_rows();
  for (const auto& v : values) row->add_values()->set_text_value(v);
}

v1::PostureReport ValidReport() {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  r.mutable_collected_at()->set_seconds(1767225600);
  v1::FactTable os = Table("os_version", {"name", "version_id", "arch"});
  AddTextRow(&os, {"Debian GNU/Linux", "12", "x86_64"});
  *r.add_tables() = os;
  v1::FactTable info = Table("system_info", {"hostname", "hardware_serial"});
  v1::FactRow* row = info.add_rows();
  row->add_values()->set_text_value("laptop-7");
  row->add_values();  // NULL
  *r.add_tables() = info;
  v1::FactTable unknown = Table("disk_encryption", {"encrypted"});
  unknown.set_status(v1::FactTable::STATUS_UNKNOWN);
  unknown.set_unknown_reason("needs root");
  *r.add_tables() = unknown;
  v1::FactTable typed = Table("mounts", {"path", "size", "ratio", "ro"});
  v1::FactRow* typed_row = typed.add_rows();
  typed_row->add_values()->set_text_value("/");
  typed_row->add_values()->set_integer_value(1 << 30);
  typed_row->add_values()->set_real_value(0.5);
  typed_row->add_values()->set_bool_value(false);
  *r.add_tables() = typed;
  return r;
}

TEST(ValidateReportTest, ValidReportPasses) {
  absl::Status s = ValidateReport(ValidReport());
  EXPECT_TRUE(s.ok()) << s;
}

TEST(ValidateReportTest, EmptyReportPasses) {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  EXPECT_TRUE(ValidateReport(r).ok());
}

struct BadReportCase {
  BadReportCase(std::string name,
                std::function<void(v1::PostureReport&)> breaker,
                std::string expected, ReportLimits limits = ReportLimits())
      : name(std::move(name)),
        breaker(std::move(breaker)),
        expected(std::move(expected)),
        limits(limits) {}

  std::string name;
  std::function<void(v1::PostureReport&)> breaker;
  std::string expected;  // substring of the message; names the table
  ReportLimits limits;
};

std::vector<BadReportCase> BadReports() {
  std::vector<BadReportCase> cases;
  cases.push_back({"UpperCaseTableName",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(0)->set_name("OS_Version");
                   },
                   "'OS_Version'"});
  cases.push_back(
      {"TableNameStartsWithDigit",
       [](v1::PostureReport& r) { r.mutable_tables(1)->set_name("9lives"); },
       "'9lives'"});
  cases.push_back(
      {"EmptyTableName",
       [](v1::PostureReport& r) { r.mutable_tables(1)->set_name(""); },
       "table name ''"});
  cases.push_back({"TableNameWithSpace",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(1)->set_name("system info");
                   },
                   "'system info'"});
  cases.push_back({"DuplicateTable",
                   [](v1::PostureReport& r) { *r.add_tables() = r.tables(0); },
                   "table os_version twice"});
  cases.push_back({"RowTooNarrow",
                   [](v1::PostureReport& r) {
                     AddTextRow(r.mutable_tables(0), {"only", "two"});
                   },
                   "table os_version row 1 has 2 values for 3 columns"});
  cases.push_back({"RowTooWide",
                   [](v1::PostureReport& r) {
                     AddTextRow(r.mutable_tables(1), {"a", "b", "c"});
                   },
                   "table system_info row 1 has 3 values for 2 columns"});
  {
    ReportLimits limits;
    limits.max_tables = 3;
    cases.push_back({"TooManyTables", [](v1::PostureReport&) {},
                     "report has 4 tables, at most 3", limits});
  }
  {
    ReportLimits limits;
    limits.max_rows_per_table = 1;
    cases.push_back({"TooManyRows",
                     [](v1::PostureReport& r) {
                       AddTextRow(r.mutable_tables(0), {"a", "b", "c"});
                     },
                     "table os_version has 2 rows, at most 1", limits});
  }
  {
    ReportLimits limits;
    limits.max_columns = 2;
    cases.push_back({"TooManyColumns", [](v1::PostureReport&) {},
                     "table os_version: needs 1 to 2 columns", limits});
  }
  {
    ReportLimits limits;
    limits.max_text_bytes = 8;
    cases.push_back({"OverlongText", [](v1::PostureReport&) {},
                     "table os_version row 0 column name: text longer than 8",
                     limits});
  }
  cases.push_back({"OverlongTextDefaultLimit",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(1)
                         ->mutable_rows(0)
                         ->mutable_values(0)
                         ->set_text_value(std::string(16385, 'x'));
                   },
                   "table system_info row 0 column hostname: text longer"});
  cases.push_back(
      {"UnknownTableWithRows",
       [](v1::PostureReport& r) { AddTextRow(r.mutable_tables(2), {"true"}); },
       "table disk_encryption: an UNKNOWN table must not carry"});
  cases.push_back({"UnspecifiedStatus",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(0)->set_status(
                         v1::FactTable::STATUS_UNSPECIFIED);
                   },
                   "table os_version: status must be OK or UNKNOWN"});
  cases.push_back({"NoColumns",
                   [](v1::PostureReport& r) {
                     v1::FactTable t;
                     t.set_name("empty_table");
                     t.set_status(v1::FactTable::STATUS_OK);
                     *r.add_tables() = t;
                   },
                   "table empty_table: needs 1 to"});
  cases.push_back({"BadColumnName",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(1)->set_columns(1, "Hardware-Serial");
                   },
                   "table system_info: column 'Hardware-Serial'"});
  cases.push_back({"DuplicateColumn",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(0)->set_columns(2, "name");
                   },
                   "table os_version: column 'name' is not a valid, unique"});
  cases.push_back({"ControlCharInUnknownReason",
                   [](v1::PostureReport& r) {
                     r.mutable_tables(2)->set_unknown_reason("a\nb");
                   },
                   "table disk_encryption unknown_reason"});
  cases.push_back({"UnknownPlatform",
                   [](v1::PostureReport& r) {
                     r.set_platform(static_cast<v1::Platform>(99));
                   },
                   "platform"});
  return cases;
}

class BadReportTest : public ::testing::TestWithParam<BadReportCase> {};

TEST_P(BadReportTest, IsInvalidArgumentNamingTheProblem) {
  const BadReportCase& c = GetParam();
  v1::PostureReport r = ValidReport();
  c.breaker(r);
  absl::Status s = ValidateReport(r, c.limits);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadReportTest, ::testing::ValuesIn(BadReports()),
    [](const ::testing::TestParamInfo<BadReportCase>& info) {
      return info.param.name;
    });

TEST(ValidateReportTest, LimitsAtTheBoundaryPass) {
  ReportLimits limits;
  limits.max_tables = 4;
  limits.max_columns = 4;
  limits.max_rows_per_table = 1;
  limits.max_text_bytes = 16;  // "Debian GNU/Linux"
  absl::Status s = ValidateReport(ValidReport(), limits);
  EXPECT_TRUE(s.ok()) << s;
}

TEST(FactsHashTest, IgnoresCollectedAt) {
  v1::PostureReport a = ValidReport();
  v1::PostureReport b = ValidReport();
  b.mutable_collected_at()->set_seconds(1767229999);
  b.mutable_collected_at()->set_nanos(5);
  EXPECT_EQ(FactsHash(a).size(), 32u);
  EXPECT_EQ(FactsHash(a), FactsHash(b));
}

TEST(FactsHashTest, ChangesWhenAValueChanges) {
  v1::PostureReport a = ValidReport();
  const std::string h = FactsHash(a);
  v1::PostureReport changed = a;
  changed.mutable_tables(0)->mutable_rows(0)->mutable_values(1)->set_text_value(
      "13");
  EXPECT_NE(FactsHash(changed), h);

  v1::PostureReport nulled = a;
  nulled.mutable_tables(0)->mutable_rows(0)->mutable_values(1)->Clear();
  EXPECT_NE(FactsHash(nulled), h);

  v1::PostureReport retyped = a;
  retyped.mutable_tables(3)->mutable_rows(0)->mutable_values(3)->set_bool_value(
      true);
  EXPECT_NE(FactsHash(retyped), h);

  v1::PostureReport other_platform = a;
  other_platform.set_platform(v1::PLATFORM_MACOS);
  EXPECT_NE(FactsHash(other_platform), h);

  v1::PostureReport reason = a;
  reason.mutable_tables(2)->set_unknown_reason("timed out");
  EXPECT_NE(FactsHash(reason), h);
}

TEST(FactsHashTest, SameFactsSameHash) {
  EXPECT_EQ(FactsHash(ValidReport()), FactsHash(ValidReport()));
}

}  // namespace
}  // namespace trellis::server
