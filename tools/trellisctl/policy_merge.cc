#include "tools/trellisctl/policy_merge.h"

#include <set>

namespace trellis::ctl {
namespace {

// Appends the items of `current` whose id `given` lacks to `out`, and their
// ids to `kept`.
template <typename Item>
void KeepMissing(const google::protobuf::RepeatedPtrField<Item>& current,
                 const std::vector<Item>& given,
                 google::protobuf::RepeatedPtrField<Item>* out,
                 std::vector<std::string>* kept) {
  std::set<std::string> ids;
  for (const Item& item : given) ids.insert(item.id());
  for (const Item& item : current) {
    if (ids.count(item.id()) > 0) continue;
    *out->Add() = item;
    kept->push_back(item.id());
  }
}

}  // namespace

PolicyApplySet MergeWithCurrent(policy::PolicySet from_path,
                                const v1::PolicyBundle* current, bool prune) {
  PolicyApplySet set;
  v1::PublishPoliciesRequest& r = set.request;
  for (const auto& p : from_path.policies) *r.add_policies() = p;
  for (const auto& p : from_path.vpn_profiles) *r.add_vpn_profiles() = p;
  if (prune || current == nullptr) return set;
  KeepMissing(current->policies(), from_path.policies, r.mutable_policies(),
              &set.kept_policies);
  KeepMissing(current->vpn_profiles(), from_path.vpn_profiles,
              r.mutable_vpn_profiles(), &set.kept_vpn_profiles);
  return set;
}

}  // namespace trellis::ctl
