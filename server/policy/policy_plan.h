// What publishing a set of policies would change, check by check.
#ifndef TRELLIS_SERVER_POLICY_POLICY_PLAN_H_
#define TRELLIS_SERVER_POLICY_POLICY_PLAN_H_

#include <vector>

#include "trellis/v1/admin_service.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::server {

// Entries for every policy and check in either set, sorted by policy then
// check id. A policy-level entry (empty check id) reports changes to the
// policy's own fields (title, applies_to, enforcement).
std::vector<v1::PolicyPlanEntry> PlanPolicies(
    const std::vector<v1::Policy>& current,
    const std::vector<v1::Policy>& proposed);

// Entries (vpn_profile_id set) for every VPN profile in either set, by id.
std::vector<v1::PolicyPlanEntry> PlanVpnProfiles(
    const std::vector<v1::VpnProfile>& current,
    const std::vector<v1::VpnProfile>& proposed);

// True when the plan changes anything.
bool PlanChangesSomething(const std::vector<v1::PolicyPlanEntry>& plan);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_POLICY_POLICY_PLAN_H_
