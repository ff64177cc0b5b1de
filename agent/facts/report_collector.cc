#include "agent/facts/report_collector.h"

#include "common/facts/fact_schema.h"
#include "common/facts/table_builder.h"
#include "common/util/proto_time.h"

namespace trellis::agent {

v1::Ownership OwnershipFromText(const std::string& ownership) {
  return ownership == "personal" ? v1::OWNERSHIP_PERSONAL
                                 : v1::OWNERSHIP_CORPORATE;
}

v1::FactTable AgentTable(const AgentFacts& agent) {
  return facts::TableBuilder("agent")
      .Row()
      .Text("version", TRELLIS_VERSION)
      .Text("device_id", agent.device_id)
      .Text("ownership", agent.ownership)
      .Integer("enrolled_since", absl::ToUnixSeconds(agent.enrolled_at))
      .Integer("policy_bundle_version",
               static_cast<int64_t>(agent.policy_bundle_version))
      .Build();
}

v1::PostureReport CollectReport(
    const std::vector<std::unique_ptr<Collector>>& collectors,
    CollectContext& context, v1::Platform platform, const AgentFacts& agent,
    FactCache* cache) {
  v1::Ownership ownership = OwnershipFromText(agent.ownership);
  v1::PostureReport report;
  report.set_platform(platform);
  *report.mutable_collected_at() = ToProtoTime(context.clock->Now());
  if (cache != nullptr) cache->BeginReport();
  for (const auto& collector : collectors) {
    const facts::TableSpec* spec = facts::FindTable(collector->table());
    // Never even collect what this device may not send.
    if (spec == nullptr || !facts::AllowedFor(spec->privacy, ownership)) {
      continue;
    }
    *report.add_tables() = cache != nullptr
                               ? cache->Collect(*collector, context)
                               : collector->Collect(context);
  }
  *report.add_tables() = AgentTable(agent);
  return report;
}

}  // namespace trellis::agent
