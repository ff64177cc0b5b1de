// The collectors for the platform this agent was built for, chosen at
// compile time. Every platform's parsers still build and run their tests
// everywhere.
#ifndef TRELLIS_AGENT_FACTS_PLATFORM_COLLECTORS_H_
#define TRELLIS_AGENT_FACTS_PLATFORM_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/facts/collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

std::vector<std::unique_ptr<Collector>> PlatformCollectors();
v1::Platform BuildPlatform();

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_PLATFORM_COLLECTORS_H_
