#include "common/policy/evaluator.h"

#include "common/facts/table_builder.h"
#include "common/policy/policy_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

v1::PolicyBundle Bundle(const std::string& yaml) {
  auto p = ParsePolicyYaml(yaml, "t.yaml");
  EXPECT_TRUE(p.ok()) << p.status();
  v1::PolicyBundle b;
  b.set_version(7);
  *b.add_policies() = *p;
  return b;
}

constexpr char kPolicy[] = R"(id: p
title: P
enforcement: restrict
applies_to: {platforms: [linux, android], ownership: [corporate]}
checks:
  - id: fw
    title: Firewall on
    query: SELECT 1 FROM firewall WHERE enabled
    detail_query: SELECT backend, enabled FROM firewall
    remediation: {text: generic, linux: ufw enable}
  - id: disk
    title: Disk encrypted
    query: SELECT 1 FROM disk_encryption WHERE encrypted
  - id: admins
    title: No admin users
    query: SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_admin)
  - id: spin
    title: Never ends
    query: WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT 1 FROM n WHERE i < 0
)";

v1::PostureReport Report(bool firewall_on) {
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  *r.add_tables() = facts::TableBuilder("firewall")
                        .Row()
                        .Text("backend", "nftables")
                        .Bool("enabled", firewall_on)
                        .Build();
  *r.add_tables() =
      facts::TableBuilder::Unknown("disk_encryption", "lsblk not installed");
  *r.add_tables() = facts::TableBuilder("users")
                        .Row()
                        .Text("username", "alice")
                        .Bool("is_admin", false)
                        .Build();
  return r;
}

TEST(EvaluatorTest, PassFailErrorAndDetail) {
  auto e = Evaluator::Compile(Bundle(kPolicy));
  ASSERT_TRUE(e.ok()) << e.status();
  DeviceContext linux_corp{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "g"};
  v1::Verdict pass = (*e)->Evaluate(linux_corp, Report(true));
  EXPECT_EQ(pass.bundle_version(), 7u);
  ASSERT_EQ(pass.results_size(), 4);
  EXPECT_EQ(pass.results(0).state(), v1::CHECK_STATE_PASS);
  EXPECT_EQ(pass.results(1).state(), v1::CHECK_STATE_ERROR);
  EXPECT_THAT(pass.results(1).error(), HasSubstr("lsblk not installed"));
  EXPECT_EQ(pass.results(2).state(), v1::CHECK_STATE_PASS);
  EXPECT_EQ(pass.results(3).state(), v1::CHECK_STATE_ERROR);
  EXPECT_THAT(pass.results(3).error(), HasSubstr("stopped"));
  EXPECT_FALSE(pass.compliant());  // errors never count as passes

  v1::Verdict fail = (*e)->Evaluate(linux_corp, Report(false));
  EXPECT_EQ(fail.results(0).state(), v1::CHECK_STATE_FAIL);
  EXPECT_EQ(fail.results(0).detail(), "backend=nftables, enabled=0");
  EXPECT_EQ(fail.results(0).remediation(), "ufw enable");
}

TEST(EvaluatorTest, NotApplicableByPlatformOwnershipAndTable) {
  auto e = Evaluator::Compile(Bundle(kPolicy));
  ASSERT_TRUE(e.ok());
  v1::Verdict mac = (*e)->Evaluate(
      {v1::PLATFORM_MACOS, v1::OWNERSHIP_CORPORATE, ""}, Report(true));
  for (const auto& r : mac.results()) {
    EXPECT_EQ(r.state(), v1::CHECK_STATE_NOT_APPLICABLE);
  }
  EXPECT_TRUE(mac.compliant());
  v1::Verdict personal = (*e)->Evaluate(
      {v1::PLATFORM_LINUX, v1::OWNERSHIP_PERSONAL, ""}, Report(false));
  EXPECT_EQ(personal.results(0).state(), v1::CHECK_STATE_NOT_APPLICABLE);
  // Android has no firewall table: that check does not apply there.
  v1::Verdict android = (*e)->Evaluate(
      {v1::PLATFORM_ANDROID, v1::OWNERSHIP_CORPORATE, ""}, Report(true));
  EXPECT_EQ(android.results(0).state(), v1::CHECK_STATE_NOT_APPLICABLE);
  EXPECT_EQ(android.results(1).state(), v1::CHECK_STATE_ERROR);
}

TEST(EvaluatorTest, ReportOnlyPoliciesDoNotAffectCompliance) {
  std::string yaml = kPolicy;
  yaml.replace(yaml.find("restrict"), 8, "report");
  auto e = Evaluator::Compile(Bundle(yaml));
  ASSERT_TRUE(e.ok());
  v1::Verdict v = (*e)->Evaluate(
      {v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, ""}, Report(false));
  EXPECT_EQ(v.results(0).state(), v1::CHECK_STATE_FAIL);
  EXPECT_TRUE(v.compliant());
}

TEST(EvaluatorTest, CompileRefusesBadSqlNamingTheCheck) {
  v1::PolicyBundle b;
  v1::Policy* p = b.add_policies();
  p->set_id("pol");
  v1::Check* c = p->add_checks();
  c->set_id("bad");
  c->set_query("ATTACH DATABASE 'x' AS y");
  auto e = Evaluator::Compile(b);
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.status().message(), HasSubstr("policy pol check bad"));
}

}  // namespace
}  // namespace trellis::policy
