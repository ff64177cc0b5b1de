// Structural checks on a set of policies, whoever built them (the YAML
// loader, or an independent client calling PublishPolicies): the server
// re-validates everything it is sent.
#ifndef TRELLIS_COMMON_POLICY_POLICY_VALIDATION_H_
#define TRELLIS_COMMON_POLICY_POLICY_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// Policy and check ids: 1-64 of [a-z0-9_-], starting with a letter or
// digit.
bool IsPolicyId(const std::string& id);

inline constexpr size_t kMaxPolicyText = 4096;
inline constexpr size_t kMaxPolicyQuery = 20000;

// InvalidArgument naming the field ("applies_to.platforms ...") unless every
// platform and ownership is a known value and every group 1-64 bytes. Shared
// by policies and VPN profiles, which target devices the same way.
absl::Status ValidateAppliesTo(const v1::AppliesTo& applies_to);

// InvalidArgument naming the policy/check and field. Does not prepare SQL
// (Evaluator::Compile does that).
absl::Status ValidatePolicySet(const std::vector<v1::Policy>& policies);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_POLICY_VALIDATION_H_
