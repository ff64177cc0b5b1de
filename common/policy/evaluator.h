// The policy engine, shared by agent and server: a bundle is compiled once
// (every query prepared in its own sandbox) and then evaluates device after
// device. An Evaluator is not thread-safe; use one per thread (the server
// keeps a pool).
#ifndef TRELLIS_COMMON_POLICY_EVALUATOR_H_
#define TRELLIS_COMMON_POLICY_EVALUATOR_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/policy/applies_to.h"
#include "common/policy/fact_database.h"
#include "trellis/v1/common.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::policy {

// What one evaluation cost, measured with the sandbox's clock.
struct EvaluationCost {
  struct Check {
    std::string policy_id;
    std::string check_id;
    absl::Duration time;
  };
  absl::Duration total;       // all checks (loading facts is not counted)
  std::vector<Check> checks;  // bundle order
  // Some check was stopped or not run because the budget was used up.
  bool budget_used_up = false;
};

class Evaluator {
 public:
  // InvalidArgument naming the policy and check whose SQL does not prepare.
  static absl::StatusOr<std::unique_ptr<Evaluator>> Compile(
      const v1::PolicyBundle& bundle, SandboxLimits limits = SandboxLimits());

  // Every check of every policy, in bundle order. A check errors (never
  // passes) when its query fails, runs out of time or memory, or reads a
  // table the device could not collect. All checks together have
  // limits.evaluation_time: once it is spent, the rest are errors that say
  // so. 'now' in queries is the report's collected_at (the clock's time if
  // it has none). Detail and error text are capped in bytes per check and
  // per verdict. With `cost`, each check's time is recorded there.
  v1::Verdict Evaluate(const DeviceContext& device,
                       const v1::PostureReport& report,
                       EvaluationCost* cost = nullptr);

  uint64_t bundle_version() const { return bundle_.version(); }

 private:
  struct CompiledCheck {
    const v1::Policy* policy;
    const v1::Check* check;
    std::unique_ptr<PreparedQuery> query;
    std::unique_ptr<PreparedQuery> detail;
  };
  Evaluator() = default;
  // The result's fields that do not depend on running the check.
  v1::CheckResult EvaluateCheckHeader(const CompiledCheck& c,
                                      const DeviceContext& device);
  v1::CheckResult EvaluateCheck(CompiledCheck& c, const DeviceContext& device);

  v1::PolicyBundle bundle_;
  SandboxLimits limits_;
  std::unique_ptr<FactDatabase> db_;
  std::vector<CompiledCheck> checks_;
  // Tables any compiled query reads: the only ones worth loading.
  std::set<std::string> tables_read_;
};

// True when the policy (and the check, if given) applies to the device.
bool Applies(const v1::Policy& policy, const v1::Check* check,
             const DeviceContext& device);

// Text for the device's platform, else the generic text.
std::string RemediationFor(const v1::Remediation& remediation,
                           v1::Platform platform);

// "pass", "fail", "error", "n/a".
const char* CheckStateWord(v1::CheckState state);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_EVALUATOR_H_
