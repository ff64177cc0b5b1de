// Everything the agent reads the device through, injected as one piece so
// tests can substitute a fake machine (files, commands, clock).
#ifndef TRELLIS_AGENT_FACTS_DEVICE_PROBE_H_
#define TRELLIS_AGENT_FACTS_DEVICE_PROBE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/facts/collector.h"
#include "agent/facts/fact_cache.h"
#include "agent/facts/report_collector.h"

namespace trellis::agent {

class DeviceProbe {
 public:
  // The real device, with this build's platform collectors.
  static std::unique_ptr<DeviceProbe> Real();

  DeviceProbe(SystemSource* system, CommandRunner* runner, const Clock* clock,
              std::vector<std::unique_ptr<Collector>> collectors,
              v1::Platform platform)
      : system_(system),
        runner_(runner),
        clock_(clock),
        collectors_(std::move(collectors)),
        platform_(platform) {}

  // Slow tables are reused between calls on their schedule
  // (collection_schedule.h); fact_cache() says which, and from when.
  v1::PostureReport Collect(const AgentFacts& agent);
  // One table by name, whatever the ownership (for enrolment's description).
  std::optional<v1::FactTable> CollectTable(const std::string& table);

  v1::Platform platform() const { return platform_; }
  const Clock* clock() const { return clock_; }
  CommandRunner& runner() { return *runner_; }
  SystemSource& system() { return *system_; }
  void set_command_timeout(absl::Duration d) { command_timeout_ = d; }
  const FactCache& fact_cache() const { return cache_; }

 private:
  CollectContext Context();

  // Owned only by Real().
  std::unique_ptr<SystemSource> owned_system_;
  std::unique_ptr<CommandRunner> owned_runner_;
  SystemSource* system_;
  CommandRunner* runner_;
  const Clock* clock_;
  std::vector<std::unique_ptr<Collector>> collectors_;
  v1::Platform platform_;
  absl::Duration command_timeout_ = absl::Seconds(10);
  FactCache cache_;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_DEVICE_PROBE_H_
