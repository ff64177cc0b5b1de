// `trellis-agent check`: the employee's checklist, evaluated on the device
// with the same engine and bundle the server uses.
#ifndef TRELLIS_AGENT_CLI_CHECKLIST_H_
#define TRELLIS_AGENT_CLI_CHECKLIST_H_

#include <string>

#include "trellis/v1/policy.pb.h"

namespace trellis::agent {

// Pass/fail/error per check with title; for failures the remediation and
// what is wrong; checks that do not apply are counted, not listed.
std::string RenderChecklist(const v1::Verdict& verdict);
std::string ChecklistJson(const v1::Verdict& verdict);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_CHECKLIST_H_
