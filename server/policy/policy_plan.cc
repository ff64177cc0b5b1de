#include "server/policy/policy_plan.h"

#include <map>
#include <set>
#include <string>

#include "google/protobuf/util/message_differencer.h"

namespace trellis::server {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::PolicyPlanEntry Entry(const std::string& policy, const std::string& check,
                          v1::PolicyPlanEntry::Change change) {
  v1::PolicyPlanEntry e;
  e.set_policy_id(policy);
  e.set_check_id(check);
  e.set_change(change);
  return e;
}

// The policy without its checks, to compare policy-level fields.
v1::Policy Header(const v1::Policy& p) {
  v1::Policy h = p;
  h.clear_checks();
  return h;
}

}  // namespace

std::vector<v1::PolicyPlanEntry> PlanPolicies(
    const std::vector<v1::Policy>& current,
    const std::vector<v1::Policy>& proposed) {
  std::map<std::string, const v1::Policy*> before, after;
  for (const auto& p : current) before[p.id()] = &p;
  for (const auto& p : proposed) after[p.id()] = &p;
  std::vector<v1::PolicyPlanEntry> plan;
  std::map<std::string, bool> ids;
  for (const auto& [id, p] : before) ids[id] = true;
  for (const auto& [id, p] : after) ids[id] = true;
  for (const auto& [id, unused] : ids) {
    const v1::Policy* old_p = before.count(id) ? before[id] : nullptr;
    const v1::Policy* new_p = after.count(id) ? after[id] : nullptr;
    if (old_p == nullptr) {
      plan.push_back(Entry(id, "", v1::PolicyPlanEntry::CHANGE_ADDED));
    } else if (new_p == nullptr) {
      plan.push_back(Entry(id, "", v1::PolicyPlanEntry::CHANGE_REMOVED));
    } else if (!MessageDifferencer::Equals(Header(*old_p), Header(*new_p))) {
      plan.push_back(Entry(id, "", v1::PolicyPlanEntry::CHANGE_CHANGED));
    }
    std::map<std::string, const v1::Check*> old_checks, new_checks;
    if (old_p)
      for (const auto& c : old_p->checks()) old_checks[c.id()] = &c;
    if (new_p)
      for (const auto& c : new_p->checks()) new_checks[c.id()] = &c;
    std::map<std::string, bool> check_ids;
    for (const auto& [cid, c] : old_checks) check_ids[cid] = true;
    for (const auto& [cid, c] : new_checks) check_ids[cid] = true;
    for (const auto& [cid, unused2] : check_ids) {
      auto o = old_checks.find(cid);
      auto n = new_checks.find(cid);
      if (o == old_checks.end()) {
        plan.push_back(Entry(id, cid, v1::PolicyPlanEntry::CHANGE_ADDED));
      } else if (n == new_checks.end()) {
        plan.push_back(Entry(id, cid, v1::PolicyPlanEntry::CHANGE_REMOVED));
      } else if (!MessageDifferencer::Equals(*o->second, *n->second)) {
        plan.push_back(Entry(id, cid, v1::PolicyPlanEntry::CHANGE_CHANGED));
      } else {
        plan.push_back(Entry(id, cid, v1::PolicyPlanEntry::CHANGE_UNCHANGED));
      }
    }
  }
  return plan;
}

bool PlanChangesSomething(const std::vector<v1::PolicyPlanEntry>& plan) {
  for (const auto& e : plan) {
    if (e.change() != v1::PolicyPlanEntry::CHANGE_UNCHANGED) return true;
  }
  return false;
}

std::vector<v1::PolicyPlanEntry> PlanVpnProfiles(
    const std::vector<v1::VpnProfile>& current,
    const std::vector<v1::VpnProfile>& proposed) {
  std::map<std::string, const v1::VpnProfile*> before;
  std::map<std::string, const v1::VpnProfile*> after;
  for (const auto& p : current) before[p.id()] = &p;
  for (const auto& p : proposed) after[p.id()] = &p;
  std::set<std::string> ids;
  for (const auto& [id, p] : before) ids.insert(id);
  for (const auto& [id, p] : after) ids.insert(id);
  std::vector<v1::PolicyPlanEntry> plan;
  for (const std::string& id : ids) {
    v1::PolicyPlanEntry e;
    e.set_vpn_profile_id(id);
    auto b = before.find(id);
    auto a = after.find(id);
    if (b == before.end()) {
      e.set_change(v1::PolicyPlanEntry::CHANGE_ADDED);
    } else if (a == after.end()) {
      e.set_change(v1::PolicyPlanEntry::CHANGE_REMOVED);
    } else {
      e.set_change(MessageDifferencer::Equals(*b->second, *a->second)
                       ? v1::PolicyPlanEntry::CHANGE_UNCHANGED
                       : v1::PolicyPlanEntry::CHANGE_CHANGED);
    }
    plan.push_back(std::move(e));
  }
  // Bundle order decides which profile a device gets: a reordering is a
  // change even when every profile is the same.
  std::vector<std::string> order_before, order_after;
  for (const auto& p : current) order_before.push_back(p.id());
  for (const auto& p : proposed) order_after.push_back(p.id());
  if (order_before != order_after) {
    for (auto& e : plan) {
      if (e.change() == v1::PolicyPlanEntry::CHANGE_UNCHANGED) {
        e.set_change(v1::PolicyPlanEntry::CHANGE_CHANGED);
      }
    }
  }
  return plan;
}

}  // namespace trellis::server
