// What `policy apply PATH` publishes. PATH (a file or a directory) says
// what it contains; by default whatever the current bundle has beyond that
// is kept as it is, so applying one file cannot drop the rest of the
// bundle. Only with --prune does PATH become the whole bundle, and what it
// lacks is removed.
#ifndef TRELLIS_TOOLS_TRELLISCTL_POLICY_MERGE_H_
#define TRELLIS_TOOLS_TRELLISCTL_POLICY_MERGE_H_

#include <string>
#include <vector>

#include "common/policy/policy_loader.h"
#include "trellis/v1/admin_service.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::ctl {

struct PolicyApplySet {
  v1::PublishPoliciesRequest request;  // dry_run left false
  // Ids from the current bundle that PATH lacks and that are kept (empty
  // when pruning).
  std::vector<std::string> kept_policies;
  std::vector<std::string> kept_vpn_profiles;
};

// `current` is null when nothing is published yet.
PolicyApplySet MergeWithCurrent(policy::PolicySet from_path,
                                const v1::PolicyBundle* current, bool prune);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_POLICY_MERGE_H_
