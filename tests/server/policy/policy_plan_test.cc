#include "server/policy/policy_plan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

v1::Policy MakePolicy(const std::string& id,
                      std::vector<std::pair<std::string, std::string>> checks) {
  v1::Policy p;
  p.set_id(id);
  p.set_title(id);
  p.set_enforcement(v1::ENFORCEMENT_WARN);
  for (const auto& [cid, query] : checks) {
    v1::Check* c = p.add_checks();
    c->set_id(cid);
    c->set_query(query);
  }
  return p;
}

std::string Describe(const std::vector<v1::PolicyPlanEntry>& plan) {
  std::string out;
  for (const auto& e : plan) {
    out += v1::PolicyPlanEntry::Change_Name(e.change()) + " " + e.policy_id() +
           "/" + e.check_id() + "\n";
  }
  return out;
}

TEST(PolicyPlanTest, AddedChangedRemovedAndUnchanged) {
  std::vector<v1::Policy> current = {
      MakePolicy("a", {{"x", "SELECT 1"}, {"y", "SELECT 2"}}),
      MakePolicy("gone", {{"z", "SELECT 3"}})};
  std::vector<v1::Policy> proposed = {
      MakePolicy("a", {{"x", "SELECT 1"}, {"y", "SELECT 22"}, {"w", "SELECT 4"}}),
      MakePolicy("new", {{"n", "SELECT 5"}})};
  proposed[0].set_enforcement(v1::ENFORCEMENT_RESTRICT);
  auto plan = PlanPolicies(current, proposed);
  EXPECT_EQ(Describe(plan),
            "CHANGE_CHANGED a/\n"
            "CHANGE_ADDED a/w\n"
            "CHANGE_UNCHANGED a/x\n"
            "CHANGE_CHANGED a/y\n"
            "CHANGE_REMOVED gone/\n"
            "CHANGE_REMOVED gone/z\n"
            "CHANGE_ADDED new/\n"
            "CHANGE_ADDED new/n\n");
  EXPECT_TRUE(PlanChangesSomething(plan));
  EXPECT_FALSE(PlanChangesSomething(PlanPolicies(current, current)));
}

}  // namespace
}  // namespace trellis::server
