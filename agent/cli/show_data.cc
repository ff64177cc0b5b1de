#include "agent/cli/show_data.h"

#include "absl/strings/str_cat.h"
#include "common/facts/fact_schema.h"
#include "common/facts/fact_values.h"
#include "common/util/proto_json.h"
#include "common/util/terminal_text.h"

namespace trellis::agent {

absl::StatusOr<ShowDataPlan> PlanShowData(const DeviceView& view,
                                          const std::string& ownership_flag,
                                          uint64_t policy_bundle_version,
                                          bool as_normal_user) {
  if (!ownership_flag.empty() && ownership_flag != "corporate" &&
      ownership_flag != "personal") {
    return absl::InvalidArgumentError(
        absl::StrCat("--ownership must be corporate or personal, not '",
                     ownership_flag, "'"));
  }
  ShowDataPlan plan;
  plan.enrolled = view.enrolled();
  plan.as_normal_user = as_normal_user;
  plan.agent.policy_bundle_version = policy_bundle_version;
  if (plan.enrolled) {
    plan.agent.device_id = view.status.device_id;
    plan.agent.ownership = view.status.ownership;
    if (view.status.enrolled_at) {
      plan.agent.enrolled_at = *view.status.enrolled_at;
    }
  } else {
    plan.agent.ownership = "corporate";
    plan.not_enrolled_reason =
        view.source == DeviceView::Source::kNotEnrolled
            ? "This device is not enrolled."
            : absl::StrCat("Whether this device is enrolled is not known (",
                           view.problem, ").");
  }
  if (!ownership_flag.empty()) plan.agent.ownership = ownership_flag;
  return plan;
}

std::string RenderShowData(const v1::PostureReport& report,
                           const ShowDataPlan& plan) {
  const std::string& ownership = plan.agent.ownership;
  std::string out =
      plan.enrolled
          ? absl::StrCat("This ", TerminalSafe(ownership),
                         " device sends the following to its Trellis server "
                         "at each check-in.\n")
          : absl::StrCat(
                TerminalSafe(plan.not_enrolled_reason), " Enrolled as a ",
                ownership,
                " device, it would send the following to its Trellis server "
                "at each check-in\n(the agent's device_id and enrolled_since "
                "are set at enrolment).\n",
                ownership == "personal"
                    ? ""
                    : "For a personal device: trellis-agent show-data "
                      "--ownership personal\n");
  absl::StrAppend(
      &out,
      ownership == "personal"
          ? "As a personal device it sends basic security facts only.\n"
          : "",
      "Nothing about your activity (keystrokes, screens, browsing, location, "
      "working hours) is collected.\n",
      plan.as_normal_user
          ? "Collected as a normal user: facts that need root show as not "
            "collected here; the agent itself runs as root.\n"
          : "");
  for (facts::PrivacyClass privacy :
       {facts::PrivacyClass::kBasic, facts::PrivacyClass::kInventory,
        facts::PrivacyClass::kSensitive}) {
    std::string section;
    for (const v1::FactTable& t : report.tables()) {
      const facts::TableSpec* spec = facts::FindTable(t.name());
      if (spec == nullptr || spec->privacy != privacy) continue;
      absl::StrAppend(&section, "\n  [", TerminalSafe(t.name()), "] ",
                      spec->description, "\n");
      if (t.status() == v1::FactTable::STATUS_UNKNOWN) {
        absl::StrAppend(&section, "    (not collected: ",
                        TerminalSafe(t.unknown_reason()), ")\n");
        continue;
      }
      if (t.rows_size() == 0) absl::StrAppend(&section, "    (none)\n");
      for (int r = 0; r < t.rows_size(); ++r) {
        if (t.rows_size() > 1) absl::StrAppend(&section, "    #", r + 1, "\n");
        for (int c = 0; c < t.columns_size() && c < t.rows(r).values_size();
             ++c) {
          absl::StrAppend(&section, "    ", TerminalSafe(t.columns(c)), ": ",
                          TerminalSafe(facts::FactValueText(t.rows(r).values(c),
                                                            "(unknown)")),
                          "\n");
        }
      }
    }
    if (section.empty()) continue;
    absl::StrAppend(&out, "\n== ", facts::PrivacyClassName(privacy),
                    " ==", section);
  }
  return out;
}

std::string ShowDataJson(const v1::PostureReport& report) {
  return ToJsonText(report);
}

}  // namespace trellis::agent
