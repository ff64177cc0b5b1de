// `trellis-agent check`: the employee's checklist, evaluated on the device
// with the same engine and bundle the server uses, with the exceptions IT
// granted (from the server's last verdict) marked on the checks they cover.
#ifndef TRELLIS_AGENT_CLI_CHECKLIST_H_
#define TRELLIS_AGENT_CLI_CHECKLIST_H_

#include <string>

#include "absl/time/time.h"
#include "agent/cli/employee_status.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::agent {

// Copies each exception in force at `now` onto the check it covers, and
// recomputes compliance as the server does: an excepted failure costs no
// access.
void ApplyExceptions(const EmployeeStatus& server, absl::Time now,
                     v1::Verdict& verdict);

// "[FAIL] Title  (policy/check)", or with `note`
// "[FAIL (excepted until DATE: reason)] Title  (policy/check)"; the
// server's text is made terminal-safe.
std::string CheckHeading(const std::string& state, const std::string& title,
                         const std::string& policy_id,
                         const std::string& check_id, const std::string& note);

// Pass/fail/error per check with title; for failures the remediation and
// what is wrong, and the exception if one is in force at `now`; checks that
// do not apply are counted, not listed.
std::string RenderChecklist(const v1::Verdict& verdict,
                            absl::Time now = absl::Now());
std::string ChecklistJson(const v1::Verdict& verdict);

// `text` made terminal-safe, each line after `prefix`.
std::string IndentSafe(const std::string& text, const std::string& prefix);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_CHECKLIST_H_
