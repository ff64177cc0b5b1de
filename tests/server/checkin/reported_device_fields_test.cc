#include "server/checkin/reported_device_fields.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/checkin/checkin_handler.h"

namespace trellis::server {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

v1::PostureReport OsReport(const std::string& name,
                           const std::string& version) {
  v1::PostureReport report;
  report.set_platform(v1::PLATFORM_LINUX);
  v1::FactTable* t = report.add_tables();
  t->set_name("os_version");
  t->set_status(v1::FactTable::STATUS_OK);
  t->add_columns("name");
  t->add_columns("version");
  v1::FactRow* row = t->add_rows();
  row->add_values()->set_text_value(name);
  row->add_values()->set_text_value(version);
  return report;
}

TEST(DeviceFieldsFromReportTest, CopiesTheOsNameAndVersion) {
  auto fields =
      DeviceFieldsFromReport(OsReport("Debian GNU/Linux", "12 (bookworm)"));
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->os_name, "Debian GNU/Linux");
  EXPECT_EQ(fields->os_version, "12 (bookworm)");
}

TEST(DeviceFieldsFromReportTest, NoOsTableLeavesThemEmpty) {
  v1::PostureReport report;
  auto fields = DeviceFieldsFromReport(report);
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->os_name, "");
  EXPECT_EQ(fields->os_version, "");
}

TEST(DeviceFieldsFromReportTest, ControlCharactersAreRefusedNamingTheColumn) {
  for (const std::string& hostile :
       {std::string("Debian\x1b]0;owned\x07"), std::string("Debian\x1b[2J"),
        std::string("Debian\r\nFAKE LOG LINE"), std::string("x\x7f"),
        std::string("a\0b", 3)}) {
    auto name = DeviceFieldsFromReport(OsReport(hostile, "12"));
    ASSERT_FALSE(name.ok());
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(name.status().message(),
                AllOf(HasSubstr("table os_version row 0 column name"),
                      HasSubstr("control character")));
    auto version = DeviceFieldsFromReport(OsReport("Debian", hostile));
    ASSERT_FALSE(version.ok());
    EXPECT_THAT(version.status().message(),
                HasSubstr("table os_version row 0 column version"));
  }
}

TEST(DeviceFieldsFromReportTest, OverlongTextAndBadUtf8AreRefused) {
  auto long_name =
      DeviceFieldsFromReport(OsReport(std::string(16000, 'A'), ""));
  ASSERT_FALSE(long_name.ok());
  EXPECT_THAT(long_name.status().message(),
              AllOf(HasSubstr("column name"), HasSubstr("at most 128")));
  EXPECT_TRUE(DeviceFieldsFromReport(OsReport(std::string(128, 'A'), "")).ok());
  auto bad_utf8 = DeviceFieldsFromReport(OsReport("Debian \xc3\x28", ""));
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_THAT(bad_utf8.status().message(), HasSubstr("UTF-8"));
  // The C1 control range as UTF-8 (U+009B, a one-character CSI) is not
  // valid input either.
  auto c1 =
      DeviceFieldsFromReport(OsReport("Debian \xc2\x9b"
                                      "2J",
                                      ""));
  EXPECT_FALSE(c1.ok());
}

TEST(DeviceFieldsFromReportTest, LaterRowsAreHeldToTheSameRules) {
  v1::PostureReport report = OsReport("Debian", "12");
  v1::FactRow* second = report.mutable_tables(0)->add_rows();
  second->add_values()->set_text_value("evil\x1b[0m");
  second->add_values()->set_text_value("1");
  auto fields = DeviceFieldsFromReport(report);
  ASSERT_FALSE(fields.ok());
  EXPECT_THAT(fields.status().message(), HasSubstr("row 1 column name"));
}

TEST(CheckSequenceStepTest, AllowsSteadyAndModestJumps) {
  EXPECT_TRUE(CheckSequenceStep(1, 0).ok());
  EXPECT_TRUE(CheckSequenceStep(8, 7).ok());
  EXPECT_TRUE(CheckSequenceStep(kMaxSequenceStep, 0).ok());
  EXPECT_TRUE(CheckSequenceStep(500 + kMaxSequenceStep, 500).ok());
  // Retries and stale sequences are the duplicate path's business.
  EXPECT_TRUE(CheckSequenceStep(3, 9).ok());
}

TEST(CheckSequenceStepTest, RefusesJumpsPastTheBoundNamingIt) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const std::pair<uint64_t, uint64_t> cases[] = {
      {max, 0},
      {max, 41},
      {kMaxSequenceStep + 1, 0},
      {1000 + kMaxSequenceStep + 1, 1000}};
  for (const auto& [sequence, last] : cases) {
    absl::Status s = CheckSequenceStep(sequence, last);
    ASSERT_FALSE(s.ok()) << sequence << " after " << last;
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(
        s.message(),
        AllOf(HasSubstr(absl::StrCat("sequence ", sequence)),
              HasSubstr("more than 1000000 ahead"),
              HasSubstr(absl::StrCat("last accepted sequence ", last))));
  }
}

}  // namespace
}  // namespace trellis::server
