#include "common/policy/policy_loader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "common/util/files.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

constexpr char kGood[] = R"(id: demo
title: Demo
applies_to:
  platforms: [linux]
  ownership: [corporate]
  groups: [staff]
enforcement: warn
checks:
  - id: fw
    title: Firewall on
    severity: high
    query: SELECT 1 FROM firewall WHERE enabled
    detail_query: SELECT backend FROM firewall
    grace_period: 3d
    remediation:
      text: Turn it on.
      linux: sudo ufw enable
)";

TEST(PolicyLoaderTest, ParsesEveryField) {
  auto p = ParsePolicyYaml(kGood, "demo.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->id(), "demo");
  EXPECT_EQ(p->enforcement(), v1::ENFORCEMENT_WARN);
  EXPECT_EQ(p->applies_to().platforms(0), v1::PLATFORM_LINUX);
  EXPECT_EQ(p->applies_to().ownership(0), v1::OWNERSHIP_CORPORATE);
  EXPECT_EQ(p->applies_to().groups(0), "staff");
  ASSERT_EQ(p->checks_size(), 1);
  const v1::Check& c = p->checks(0);
  EXPECT_EQ(c.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(c.grace_period_seconds(), 3 * 86400);
  EXPECT_EQ(c.remediation().text(), "Turn it on.");
  EXPECT_EQ(c.remediation().by_platform().at("linux"), "sudo ufw enable");
}

struct BadCase {
  const char* name;
  const char* yaml;
  const char* expected;  // "line:col: reason" fragment
};

class BadPolicyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPolicyTest, IsRefusedWithPosition) {
  auto p = ParsePolicyYaml(GetParam().yaml, "bad.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr(GetParam().expected))
      << p.status().message();
}

constexpr char kHead[] = "id: x\ntitle: X\nenforcement: warn\nchecks:\n";

std::string WithCheck(const std::string& check) {
  return std::string(kHead) + check;
}

const std::string kUnknownKey = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM firewall\n"
    "    sevrity: high\n");
const std::string kBadSeverity = WithCheck(
    "  - id: a\n    title: A\n    severity: 5\n    query: SELECT 1 FROM "
    "firewall\n");
const std::string kBadDuration = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM firewall\n"
    "    grace_period: two weeks\n");
const std::string kDuplicate = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM firewall\n"
    "  - id: a\n    title: B\n    query: SELECT 1 FROM firewall\n");
const std::string kUnknownTable = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM registry\n");
const std::string kUnknownColumn = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM firewall WHERE "
    "colour = 1\n");
const std::string kWrite = WithCheck(
    "  - id: a\n    title: A\n    query: DELETE FROM firewall\n");
const std::string kPragma = WithCheck(
    "  - id: a\n    title: A\n    query: PRAGMA writable_schema = 1\n");
const std::string kBadDetail = WithCheck(
    "  - id: a\n    title: A\n    query: SELECT 1 FROM firewall\n"
    "    detail_query: SELECT nope FROM firewall\n");
const std::string kChecksNotList = std::string(kHead) + "  a: b\n";
const std::string kBadPlatform = std::string(
    "id: x\ntitle: X\nenforcement: warn\napplies_to:\n  platforms: [beos]\n"
    "checks:\n  - id: a\n    title: A\n    query: SELECT 1 FROM firewall\n");

INSTANTIATE_TEST_SUITE_P(
    Table, BadPolicyTest,
    ::testing::Values(
        BadCase{"UnknownKey", kUnknownKey.c_str(),
                "bad.yaml:8:5: unknown key 'sevrity'"},
        BadCase{"WrongType", kBadSeverity.c_str(),
                "bad.yaml:7:15: 'severity' must be low"},
        BadCase{"BadDuration", kBadDuration.c_str(),
                "bad.yaml:8:19: 'grace_period' must be a duration"},
        BadCase{"DuplicateId", kDuplicate.c_str(),
                "bad.yaml:8:9: duplicate check id 'a'"},
        BadCase{"UnknownTable", kUnknownTable.c_str(),
                "bad.yaml:7:12: query does not prepare against the fact "
                "schema: no such table: registry"},
        BadCase{"UnknownColumn", kUnknownColumn.c_str(),
                "no such column: colour"},
        BadCase{"Write", kWrite.c_str(), "only SELECT"},
        BadCase{"Pragma", kPragma.c_str(), "PRAGMA is not allowed"},
        BadCase{"BadDetailQuery", kBadDetail.c_str(),
                "bad.yaml:8:19: query does not prepare"},
        BadCase{"ChecksNotAList", kChecksNotList.c_str(),
                "'checks' must be a non-empty list"},
        BadCase{"UnknownPlatform", kBadPlatform.c_str(),
                "bad.yaml:5:15: 'platforms' entries must be one of"},
        BadCase{"MissingEnforcement",
                "id: x\ntitle: X\nchecks:\n  - id: a\n    title: A\n"
                "    query: SELECT 1 FROM firewall\n",
                "missing key 'enforcement'"},
        BadCase{"BadId",
                "id: X Y\ntitle: X\nenforcement: warn\nchecks:\n  - id: a\n"
                "    title: A\n    query: SELECT 1 FROM firewall\n",
                "bad.yaml:1:5: policy id 'X Y'"},
        BadCase{"YamlSyntax", "id: [unclosed\n", "bad.yaml:2:1: YAML syntax"},
        BadCase{"NotAMapping", "- a\n- b\n", "must be a mapping"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyLoaderTest, ReportsEveryErrorNotJustTheFirst) {
  auto p = ParsePolicyYaml(WithCheck("  - id: a\n    title: A\n"
                                     "    query: SELECT 1 FROM nope\n"
                                     "    colour: red\n"),
                           "two.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("unknown key 'colour'"));
  EXPECT_THAT(p.status().message(), HasSubstr("no such table: nope"));
}

TEST(PolicyLoaderTest, ShippedPacksLoad) {
  auto policies =
      LoadPolicies(std::string(TRELLIS_SOURCE_DIR) + "/policies");
  ASSERT_TRUE(policies.ok()) << policies.status();
  std::vector<std::string> ids;
  for (const auto& p : *policies) ids.push_back(p.id());
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre(
                       "cyber-essentials", "ncsc-device-baseline",
                       "byod-minimal"));
}

TEST(PolicyLoaderTest, DuplicatePolicyIdsAcrossFilesAreRefused) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kGood).ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("b.yaml"), kGood).ok());
  auto policies = LoadPolicies(dir.path());
  ASSERT_FALSE(policies.ok());
  EXPECT_THAT(policies.status().message(),
              HasSubstr("policy id 'demo' is already used by"));
}

TEST(PolicyLoaderTest, EmptyDirectoryIsAnError) {
  testing::TempDir dir;
  EXPECT_THAT(LoadPolicies(dir.path()).status().message(),
              HasSubstr("no .yaml policy files"));
}

}  // namespace
}  // namespace trellis::policy
