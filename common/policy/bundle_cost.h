// What a bundle would cost per device, measured by running it against
// recorded facts before it is published: `trellisctl policy validate
// --facts` offline, and the server's PublishPolicies (dry run too) against
// the latest reports of recently seen devices. A bundle whose worst device
// would use up the evaluation budget is refused, naming its slowest checks,
// rather than turning every check-in into errors.
#ifndef TRELLIS_COMMON_POLICY_BUNDLE_COST_H_
#define TRELLIS_COMMON_POLICY_BUNDLE_COST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/policy/evaluator.h"

namespace trellis::policy {

struct RecordedDevice {
  std::string name;  // for messages: a device id or a file name
  DeviceContext context;
  v1::PostureReport report;
};

struct BundleCost {
  int devices = 0;
  absl::Duration worst_device_time;
  std::string worst_device;
  // The worst device's checks, slowest first (at most 5).
  std::vector<EvaluationCost::Check> slowest_checks;
  // Some device used up the evaluation budget.
  bool over_budget = false;
};

// Evaluates each device once with `evaluator` (compiled with the limits
// to measure against), stopping at the first device over the budget.
BundleCost EstimateBundleCost(Evaluator& evaluator,
                              const std::vector<RecordedDevice>& devices);

// OK when the bundle fits `budget`; else FailedPrecondition naming the
// budget, the worst device and its slowest checks.
absl::Status CheckBundleCost(const BundleCost& cost, absl::Duration budget);

// "worst device X: 12ms for all checks; slowest: p/c 5ms, ..."
std::string DescribeBundleCost(const BundleCost& cost);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_BUNDLE_COST_H_
