// Fleet compliance: pass rates by policy, check, platform and group, over
// every active device's latest server-side verdict.
#ifndef TRELLIS_SERVER_POLICY_COMPLIANCE_SUMMARY_H_
#define TRELLIS_SERVER_POLICY_COMPLIANCE_SUMMARY_H_

#include "absl/status/statusor.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

absl::StatusOr<v1::GetComplianceSummaryResponse> ComputeComplianceSummary(
    Store& store, uint64_t bundle_version);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_POLICY_COMPLIANCE_SUMMARY_H_
