// `trellisctl policy validate PATH --facts FILE`: the bundle's cost per
// device measured offline against recorded facts, refused over the budget
// like the server refuses the publish.
#include "tools/trellisctl/policy_cost.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"
#include "common/util/files.h"
#include "common/util/proto_json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tools/trellisctl/ctl_main.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::ctl {
namespace {

using ::testing::HasSubstr;

v1::PostureReport Report() {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  *r.add_tables() = facts::TableBuilder("firewall")
                        .Row()
                        .Text("backend", "nftables")
                        .Bool("enabled", true)
                        .Build();
  return r;
}

struct CtlRun {
  int exit_code;
  std::string out;
  std::string err;
};

CtlRun Ctl(std::vector<std::string> args) {
  std::istringstream in;
  std::ostringstream out, err;
  int code = RunCtl(args, CtlIo{in, out, err, false});
  return {code, out.str(), err.str()};
}

std::string PolicyYaml(int checks, const std::string& query) {
  std::string yaml =
      "id: fw\ntitle: Firewall\nenforcement: restrict\nchecks:\n";
  for (int i = 0; i < checks; ++i) {
    absl::StrAppend(&yaml, "  - id: c", i, "\n    title: check ", i,
                    "\n    query: ", query, "\n");
  }
  return yaml;
}

TEST(PolicyCostTest, ReadsAReportOrADeviceShownWithItsFacts) {
  auto bare = ParseRecordedFacts("desk.json", ToJsonText(Report()));
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->report.tables_size(), 1);
  EXPECT_EQ(bare->context.platform, v1::PLATFORM_LINUX);
  EXPECT_EQ(bare->context.ownership, v1::OWNERSHIP_CORPORATE);

  v1::GetDeviceResponse shown;
  shown.mutable_device()->set_ownership(v1::OWNERSHIP_PERSONAL);
  shown.mutable_device()->set_group("staff");
  *shown.mutable_last_report() = Report();
  auto device = ParseRecordedFacts("shown.json", ToJsonText(shown));
  ASSERT_TRUE(device.ok()) << device.status();
  EXPECT_EQ(device->context.ownership, v1::OWNERSHIP_PERSONAL);
  EXPECT_EQ(device->context.group, "staff");
  EXPECT_EQ(device->name, "shown.json");

  auto bad = ParseRecordedFacts("x.json", "{\"hello\": 1}");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("x.json: no recorded facts"));
  EXPECT_FALSE(ParseRecordedFacts("y.json", "not json").ok());
}

TEST(PolicyCostTest, ValidateWithFactsReportsTheCostOrRefusesTheBundle) {
  testing::TempDir dir;
  const std::string facts = dir.File("desk.json");
  ASSERT_TRUE(WriteFileAtomic(facts, ToJsonText(Report())).ok());
  const std::string policy = dir.File("fw.yaml");

  ASSERT_TRUE(
      WriteFileAtomic(policy, PolicyYaml(3, "SELECT 1 FROM firewall")).ok());
  CtlRun ok = Ctl({"policy", "validate", policy, "--facts", facts});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("all valid"));
  EXPECT_THAT(ok.out, HasSubstr("cost: worst of 1 device(s): "));
  EXPECT_THAT(ok.out, HasSubstr("(budget 2s per device)"));

  // 60 checks that each run to the 50 ms statement limit: at least 3 s per
  // device, whatever the machine, against a budget of 2 s.
  ASSERT_TRUE(WriteFileAtomic(
                  policy, PolicyYaml(60,
                                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                                     "ALL SELECT i+1 FROM n) SELECT 1 FROM n "
                                     "WHERE i < 0"))
                  .ok());
  CtlRun refused = Ctl({"policy", "validate", policy, "--facts", facts});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err,
              HasSubstr("would use up the evaluation budget of 2s per device"));
  EXPECT_THAT(refused.err, HasSubstr("slowest checks: fw/c"));

  CtlRun missing =
      Ctl({"policy", "validate", policy, "--facts", dir.File("none.json")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("none.json"));
}

}  // namespace
}  // namespace trellis::ctl
