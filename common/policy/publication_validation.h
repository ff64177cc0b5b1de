// The one check of policies and VPN profiles for publication: the server
// runs it on every PublishPolicies request, and `trellisctl policy
// validate` runs it on the files it loads, so what validates offline is
// what the server accepts, refused or not for the same reason.
#ifndef TRELLIS_COMMON_POLICY_PUBLICATION_VALIDATION_H_
#define TRELLIS_COMMON_POLICY_PUBLICATION_VALIDATION_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// The largest request the server accepts (its gRPC receive limit,
// ServerConfig::max_request_bytes), so the largest set of policies and VPN
// profiles that can be published in one request.
inline constexpr size_t kMaxPublishRequestBytes = size_t{1} << 20;

// The unsigned bundle (no version, time or publisher yet) that `policies`
// and `vpn_profiles` make, or InvalidArgument with the reason the server
// refuses them, naming the policy/check/profile and field: a string field
// that is not UTF-8 (anywhere, map entries included), ValidatePolicySet
// (at most 200 policies of at most 500 checks, ids, lengths, enums),
// ValidateVpnProfiles (endpoints, keys, routes...), a request over
// kMaxPublishRequestBytes, or SQL that does not prepare against the fact
// schema (Evaluator::Compile).
absl::StatusOr<v1::PolicyBundle> ValidatePublication(
    const std::vector<v1::Policy>& policies,
    const std::vector<v1::VpnProfile>& vpn_profiles);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_PUBLICATION_VALIDATION_H_
