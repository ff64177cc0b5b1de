// Builds the posture report: runs each collector (each bounded in time),
// adds the agent's own table, and keeps only what the device's ownership
// allows (personal devices: basic-class tables only). What this returns is
// exactly what `show-data` shows and what a check-in sends.
#ifndef TRELLIS_AGENT_FACTS_REPORT_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_REPORT_COLLECTOR_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"
#include "agent/facts/fact_cache.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

struct AgentFacts {
  std::string device_id;
  std::string ownership;  // corporate | personal
  absl::Time enrolled_at;
  uint64_t policy_bundle_version = 0;
};

v1::Ownership OwnershipFromText(const std::string& ownership);

// With a `cache`, slow tables are reused on their schedule (fact_cache.h).
v1::PostureReport CollectReport(
    const std::vector<std::unique_ptr<Collector>>& collectors,
    CollectContext& context, v1::Platform platform, const AgentFacts& agent,
    FactCache* cache = nullptr);

// The `agent` fact table.
v1::FactTable AgentTable(const AgentFacts& agent);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_REPORT_COLLECTOR_H_
