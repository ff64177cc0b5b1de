#include "agent/facts/device_probe.h"

#include "agent/facts/platform_collectors.h"

namespace trellis::agent {

std::unique_ptr<DeviceProbe> DeviceProbe::Real() {
  auto system = std::make_unique<RealSystemSource>();
  auto runner = std::make_unique<RealCommandRunner>();
  auto probe =
      std::make_unique<DeviceProbe>(system.get(), runner.get(), Clock::Real(),
                                    PlatformCollectors(), BuildPlatform());
  probe->owned_system_ = std::move(system);
  probe->owned_runner_ = std::move(runner);
  return probe;
}

CollectContext DeviceProbe::Context() {
  CollectContext context{system_, runner_, clock_};
  context.command_timeout = command_timeout_;
  return context;
}

v1::PostureReport DeviceProbe::Collect(const AgentFacts& agent) {
  CollectContext context = Context();
  return CollectReport(collectors_, context, platform_, agent, &cache_);
}

std::optional<v1::FactTable> DeviceProbe::CollectTable(
    const std::string& table) {
  CollectContext context = Context();
  for (const auto& c : collectors_) {
    if (c->table() == table) return c->Collect(context);
  }
  return std::nullopt;
}

}  // namespace trellis::agent
