#include "common/policy/bundle_cost.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace trellis::policy {
namespace {

constexpr size_t kSlowestChecksNamed = 5;

std::string Ms(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Milliseconds(d), " ms");
}

}  // namespace

BundleCost EstimateBundleCost(Evaluator& evaluator,
                              const std::vector<RecordedDevice>& devices) {
  BundleCost result;
  bool first = true;
  for (const RecordedDevice& d : devices) {
    EvaluationCost cost;
    evaluator.Evaluate(d.context, d.report, &cost);
    ++result.devices;
    result.over_budget = result.over_budget || cost.budget_used_up;
    if (first || cost.total > result.worst_device_time) {
      first = false;
      result.worst_device_time = cost.total;
      result.worst_device = d.name;
      std::vector<EvaluationCost::Check> checks = cost.checks;
      std::stable_sort(
          checks.begin(), checks.end(),
          [](const auto& a, const auto& b) { return a.time > b.time; });
      if (checks.size() > kSlowestChecksNamed)
        checks.resize(kSlowestChecksNamed);
      result.slowest_checks = std::move(checks);
    }
    // One device over the budget is enough to refuse the bundle.
    if (result.over_budget) break;
  }
  return result;
}

std::string DescribeBundleCost(const BundleCost& cost) {
  if (cost.devices == 0) return "no recorded facts to measure against";
  std::vector<std::string> slowest;
  for (const auto& c : cost.slowest_checks) {
    slowest.push_back(
        absl::StrCat(c.policy_id, "/", c.check_id, " ", Ms(c.time)));
  }
  return absl::StrCat("worst of ", cost.devices,
                      " device(s): ", cost.worst_device, " took ",
                      Ms(cost.worst_device_time), " for all checks",
                      slowest.empty() ? "" : "; slowest checks: ",
                      absl::StrJoin(slowest, ", "));
}

absl::Status CheckBundleCost(const BundleCost& cost, absl::Duration budget) {
  if (!cost.over_budget && cost.worst_device_time <= budget) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the bundle would use up the evaluation budget of ",
                   absl::FormatDuration(budget),
                   " per device (its checks would become errors): ",
                   DescribeBundleCost(cost),
                   ". Make the slowest checks cheaper or split them out"));
}

}  // namespace trellis::policy
