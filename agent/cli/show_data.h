// `trellis-agent show-data`: exactly the facts this device would send,
// grouped by privacy class, so the employee can see everything collected.
#ifndef TRELLIS_AGENT_CLI_SHOW_DATA_H_
#define TRELLIS_AGENT_CLI_SHOW_DATA_H_

#include <string>

#include "trellis/v1/common.pb.h"

namespace trellis::agent {

std::string RenderShowData(const v1::PostureReport& report,
                           const std::string& ownership);
std::string ShowDataJson(const v1::PostureReport& report);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_CLI_SHOW_DATA_H_
