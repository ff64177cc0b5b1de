// A collector fills one fact table on one platform. It reads files through
// SystemSource and runs commands through CommandRunner, and hands their
// text to pure parse functions (tested against recorded outputs). When it
// cannot tell, it returns the table as unknown with the reason; it never
// invents a value.
#ifndef TRELLIS_AGENT_FACTS_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_COLLECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/facts/system_source.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

struct CollectContext {
  SystemSource* system;
  CommandRunner* runner;
  const Clock* clock;
  // Bound for each command a collector runs.
  absl::Duration command_timeout = absl::Seconds(10);
};

class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string table() const = 0;
  virtual v1::FactTable Collect(CollectContext& context) = 0;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_COLLECTOR_H_
