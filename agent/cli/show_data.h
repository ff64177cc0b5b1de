// `trellis-agent show-data`: exactly the facts this device would send,
// grouped by privacy class, so the employee can see everything collected,
// before enrolment too (for a corporate or a personal device).
#ifndef TRELLIS_AGENT_CLI_SHOW_DATA_H_
#define TRELLIS_AGENT_CLI_SHOW_DATA_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "agent/cli/status_file.h"
#include "agent/facts/report_collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

struct ShowDataPlan {
  // What the report is collected for (ownership decides what is sent).
  AgentFacts agent;
  bool enrolled = false;
  // When not enrolled: why ("not enrolled", or that it cannot be told).
  std::string not_enrolled_reason;
  // Collected by a normal user: some facts need root to read.
  bool as_normal_user = false;
};

// The ownership is `ownership_flag` ("corporate" or "personal") when given,
// else the enrolled device's, else corporate. Works whatever `view` says:
// an employee may look before enrolling. Errors name a bad flag value.
absl::StatusOr<ShowDataPlan> PlanShowData(const DeviceView& view,
                                          const std::string& ownership_flag,
                                          uint64_t policy_bundle_version,
                                          bool as_normal_user);

std::string RenderShowData(const v1::PostureReport& report,
                           const ShowDataPlan& plan);
std::string ShowDataJson(const v1::PostureReport& report);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_SHOW_DATA_H_
