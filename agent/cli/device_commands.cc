#include "agent/cli/device_commands.h"

#include "absl/strings/str_cat.h"
#include "agent/cli/checklist.h"
#include "agent/cli/show_data.h"
#include "agent/cli/status_file.h"
#include "agent/policy/bundle_sync.h"
#include "common/policy/evaluator.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {
namespace {

CommandOutput Failed(const absl::Status& status, int exit_code) {
  return {"",
          absl::StrCat("trellis-agent: ", TerminalSafe(status.message()), "\n"),
          exit_code};
}

// The held bundle; a file this user may not read is said to need
// permission rather than to be missing.
absl::StatusOr<std::optional<v1::PolicyBundle>> HeldBundle(
    const AgentState& state, const FileReader& read) {
  for (const std::string& path : {state.BundlePath(), state.PolicyKeyPath()}) {
    auto bytes = read(path);
    if (absl::IsNotFound(bytes.status())) continue;
    if (!bytes.ok()) return ExplainReadError(bytes.status(), path);
  }
  return LoadHeldBundle(state);
}

}  // namespace

CommandOutput RunCheck(const AgentState& state, DeviceProbe& probe, bool json,
                       absl::Time now, const FileReader& read) {
  DeviceView view = LoadDeviceView(state, read);
  if (!view.enrolled()) {
    return Failed(absl::FailedPreconditionError(view.problem), 2);
  }
  auto bundle = HeldBundle(state, read);
  if (!bundle.ok()) return Failed(bundle.status(), 2);
  if (!*bundle) {
    return Failed(absl::FailedPreconditionError(
                      "no policy bundle yet; run 'trellis-agent run --once' "
                      "(as root) to fetch one"),
                  2);
  }
  auto evaluator = policy::Evaluator::Compile(**bundle);
  if (!evaluator.ok()) return Failed(evaluator.status(), 2);
  AgentFacts agent;
  agent.device_id = view.status.device_id;
  agent.ownership = view.status.ownership;
  if (view.status.enrolled_at) agent.enrolled_at = *view.status.enrolled_at;
  agent.policy_bundle_version = (*bundle)->version();
  v1::PostureReport report = probe.Collect(agent);
  v1::Verdict verdict =
      (*evaluator)
          ->Evaluate(
              {probe.platform(), OwnershipFromText(view.status.ownership),
               view.status.group},
              report);
  ApplyExceptions(view.status, now, verdict);
  std::string out =
      json ? ChecklistJson(verdict) : RenderChecklist(verdict, now);
  if (!json && view.source == DeviceView::Source::kStatusFile) {
    // Some facts need root; the agent's own verdict is the server's.
    absl::StrAppend(&out,
                    "Checked as a normal user: facts that need root may show "
                    "as could not be checked.\nThe server's verdict at the "
                    "last check-in: ",
                    TerminalSafe(view.status.compliance_state),
                    " (see trellis-agent status).\n");
  }
  return {out, "", verdict.compliant() ? 0 : 1};
}

CommandOutput RunShowData(const AgentState& state, DeviceProbe& probe,
                          const ShowDataOptions& options,
                          const FileReader& read) {
  DeviceView view = LoadDeviceView(state, read);
  uint64_t bundle_version = 0;
  if (view.enrolled()) {
    auto bundle = HeldBundle(state, read);
    if (bundle.ok() && *bundle) bundle_version = (*bundle)->version();
  }
  auto plan = PlanShowData(view, options.ownership, bundle_version,
                           options.as_normal_user);
  if (!plan.ok()) return Failed(plan.status(), 2);
  v1::PostureReport report = probe.Collect(plan->agent);
  return {options.json ? ShowDataJson(report) : RenderShowData(report, *plan),
          "", 0};
}

}  // namespace trellis::agent
