// `policy validate PATH --facts FILE...`: what the bundle would cost per
// device, measured offline against recorded facts, with the same budget the
// server refuses a publish at.
#ifndef TRELLIS_TOOLS_TRELLISCTL_POLICY_COST_H_
#define TRELLIS_TOOLS_TRELLISCTL_POLICY_COST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/policy/bundle_cost.h"
#include "common/policy/policy_loader.h"
#include "tools/trellisctl/ctl.h"

namespace trellis::ctl {

// Recorded facts from `text` (read from `file`): a posture report as JSON
// (`trellis-agent show-data --json`), or `trellisctl device show DEVICE
// --facts --json`, which also gives the device's ownership and group. A
// bare report is judged as a corporate device in no group.
absl::StatusOr<policy::RecordedDevice> ParseRecordedFacts(
    const std::string& file, const std::string& text);

// Prints the estimate; kExitRefused (with the reason on stderr) when a
// file cannot be used or the bundle would not fit the budget.
int EstimatePolicyCost(Ctl& ctl, const policy::PolicySet& set,
                       const std::vector<std::string>& facts_files);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_POLICY_COST_H_
