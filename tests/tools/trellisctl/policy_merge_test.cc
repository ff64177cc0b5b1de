#include "tools/trellisctl/policy_merge.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::ctl {
namespace {

using ::testing::ElementsAre;

v1::Policy P(const std::string& id, const std::string& title) {
  v1::Policy p;
  p.set_id(id);
  p.set_title(title);
  return p;
}

v1::VpnProfile Profile(const std::string& id) {
  v1::VpnProfile p;
  p.set_id(id);
  return p;
}

std::vector<std::string> Ids(const v1::PublishPoliciesRequest& r) {
  std::vector<std::string> ids;
  for (const auto& p : r.policies()) ids.push_back(p.id() + ":" + p.title());
  for (const auto& p : r.vpn_profiles()) ids.push_back("vpn:" + p.id());
  return ids;
}

v1::PolicyBundle Current() {
  v1::PolicyBundle b;
  *b.add_policies() = P("a", "old a");
  *b.add_policies() = P("b", "old b");
  *b.add_vpn_profiles() = Profile("office");
  return b;
}

TEST(PolicyMergeTest, OneFileKeepsTheRestOfTheBundle) {
  policy::PolicySet from_file;
  from_file.policies.push_back(P("a", "new a"));
  v1::PolicyBundle current = Current();
  PolicyApplySet set = MergeWithCurrent(from_file, &current, /*prune=*/false);
  EXPECT_THAT(Ids(set.request),
              ElementsAre("a:new a", "b:old b", "vpn:office"));
  EXPECT_THAT(set.kept_policies, ElementsAre("b"));
  EXPECT_THAT(set.kept_vpn_profiles, ElementsAre("office"));
}

TEST(PolicyMergeTest, PruneSendsOnlyThePath) {
  policy::PolicySet from_file;
  from_file.policies.push_back(P("a", "new a"));
  v1::PolicyBundle current = Current();
  PolicyApplySet set = MergeWithCurrent(from_file, &current, /*prune=*/true);
  EXPECT_THAT(Ids(set.request), ElementsAre("a:new a"));
  EXPECT_TRUE(set.kept_policies.empty());
  EXPECT_TRUE(set.kept_vpn_profiles.empty());
}

TEST(PolicyMergeTest, NothingPublishedYet) {
  policy::PolicySet from_dir;
  from_dir.policies.push_back(P("a", "a"));
  from_dir.vpn_profiles.push_back(Profile("office"));
  PolicyApplySet set = MergeWithCurrent(from_dir, nullptr, false);
  EXPECT_THAT(Ids(set.request), ElementsAre("a:a", "vpn:office"));
  EXPECT_TRUE(set.kept_policies.empty());
}

}  // namespace
}  // namespace trellis::ctl
