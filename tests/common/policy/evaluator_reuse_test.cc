// One compiled evaluator serves device after device (the server pools
// them). Reuse must never turn a compliant device into "cannot be
// checked": loading facts is not a check and has no time limit, and a
// check's limit starts when that check starts.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_loader.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

constexpr char kPolicy[] = R"(id: baseline
title: Baseline
enforcement: restrict
applies_to: {platforms: [linux], ownership: [corporate]}
checks:
  - id: no-telnetd
    title: telnetd is not installed
    query: SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM packages WHERE name = 'telnetd')
    detail_query: SELECT name, version FROM packages WHERE name = 'telnetd'
  - id: admins-have-passwords
    title: Admin accounts have passwords
    query: SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_admin AND NOT has_password)
  - id: no-open-telnet
    title: Nothing listens on port 23
    query: SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM listening_ports WHERE port = 23 AND NOT loopback_only)
)";

v1::PolicyBundle Bundle(const std::string& yaml) {
  auto p = ParsePolicyYaml(yaml, "baseline.yaml");
  EXPECT_TRUE(p.ok()) << p.status();
  v1::PolicyBundle b;
  b.set_version(1);
  *b.add_policies() = *p;
  return b;
}

// A workstation's report at realistic size: dozens of accounts, a desktop
// install's worth of packages, a handful of listening sockets.
v1::PostureReport WorkstationReport() {
  facts::TableBuilder users("users");
  for (int i = 0; i < 40; ++i) {
    users.Row()
        .Text("username", absl::StrCat("user", i))
        .Integer("uid", 1000 + i)
        .Bool("is_admin", i < 3)
        .Bool("has_password", true)
        .Bool("locked", false)
        .Bool("is_system", i >= 30)
        .Text("shell", "/bin/bash");
  }
  facts::TableBuilder packages("packages");
  for (int i = 0; i < 1500; ++i) {
    packages.Row()
        .Text("name", absl::StrCat("package-", i))
        .Text("version", absl::StrCat("1.", i, ".0-1"))
        .Text("source", "deb");
  }
  facts::TableBuilder ports("listening_ports");
  for (int i = 0; i < 40; ++i) {
    ports.Row()
        .Text("protocol", i % 2 ? "tcp" : "udp")
        .Text("address", i % 3 ? "127.0.0.1" : "0.0.0.0")
        .Integer("port", 1024 + i)
        .Bool("loopback_only", i % 3 != 0);
  }
  v1::PostureReport r;
  r.set_platform(v1::PLATFORM_LINUX);
  *r.add_tables() = users.Build();
  *r.add_tables() = packages.Build();
  *r.add_tables() = ports.Build();
  return r;
}

// Advances by `step` each time it is read: time passes as a query runs.
class SteppingClock : public Clock {
 public:
  explicit SteppingClock(absl::Duration step) : step_(step) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    now_ += step_;
    return now_;
  }

 private:
  absl::Duration step_;
  mutable absl::Mutex mu_;
  mutable absl::Time now_ ABSL_GUARDED_BY(mu_) =
      absl::FromUnixSeconds(1767225600);
};

TEST(EvaluatorReuseTest, ThousandsOfEvaluationsOfOneEvaluatorNeverError) {
  FakeClock clock;
  SandboxLimits limits;
  limits.clock = &clock;
  auto e = Evaluator::Compile(Bundle(kPolicy), limits);
  ASSERT_TRUE(e.ok()) << e.status();
  const DeviceContext device{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "g"};
  const v1::PostureReport report = WorkstationReport();
  for (int i = 0; i < 2000; ++i) {
    // Devices check in long after the previous evaluation's checks ended.
    clock.Advance(absl::Seconds(30));
    v1::Verdict v = (*e)->Evaluate(device, report);
    ASSERT_EQ(v.results_size(), 3);
    for (const v1::CheckResult& r : v.results()) {
      ASSERT_EQ(r.state(), v1::CHECK_STATE_PASS)
          << "evaluation " << i << ", check " << r.check_id() << ": "
          << r.error();
    }
    ASSERT_TRUE(v.compliant()) << "evaluation " << i;
  }
}

TEST(EvaluatorReuseTest, ASlowCheckIsStillCutAfterReuse) {
  SteppingClock clock(absl::Milliseconds(1));
  SandboxLimits limits;
  limits.clock = &clock;
  auto e = Evaluator::Compile(Bundle(absl::StrCat(kPolicy, R"(  - id: spin
    title: Never ends
    query: WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT 1 FROM n WHERE i < 0
)")),
                              limits);
  ASSERT_TRUE(e.ok()) << e.status();
  const DeviceContext device{v1::PLATFORM_LINUX, v1::OWNERSHIP_CORPORATE, "g"};
  const v1::PostureReport report = WorkstationReport();
  for (int i = 0; i < 20; ++i) {
    v1::Verdict v = (*e)->Evaluate(device, report);
    ASSERT_EQ(v.results_size(), 4);
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(v.results(c).state(), v1::CHECK_STATE_PASS)
          << "evaluation " << i << ": " << v.results(c).error();
    }
    EXPECT_EQ(v.results(3).state(), v1::CHECK_STATE_ERROR);
    EXPECT_THAT(v.results(3).error(), HasSubstr("was stopped"));
    EXPECT_FALSE(v.compliant());
  }
}

}  // namespace
}  // namespace trellis::policy
