// Reuses slow fact tables between check-ins on the schedule declared in
// collection_schedule.h: a table is collected again once it is older than
// its max_age, or as soon as one of its change stamps moves. Only tables
// that were actually collected (status OK) are kept; an unknown table is
// tried again next time.
//
// Kept in memory for the life of `trellis-agent run`: a restart collects
// once more, which is cheaper than keeping a second copy of the device's
// posture on disk in step with the device.
#ifndef TRELLIS_AGENT_FACTS_FACT_CACHE_H_
#define TRELLIS_AGENT_FACTS_FACT_CACHE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agent/facts/collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

class FactCache {
 public:
  // A table reused from an earlier collection.
  struct Reused {
    std::string table;
    absl::Time collected_at;
  };

  // `collector`'s table: collected now, or reused when it is scheduled and
  // still fresh.
  v1::FactTable Collect(Collector& collector, CollectContext& context);

  // Call before each report: Reused() then lists what that report reused.
  void BeginReport() { reused_.clear(); }
  const std::vector<Reused>& reused() const { return reused_; }

 private:
  struct Entry {
    v1::FactTable table;
    absl::Time collected_at;
    std::string stamps;
  };
  std::map<std::string, Entry> entries_;
  std::vector<Reused> reused_;
};

// "os_updates, packages collected at 12:00:03 UTC"-style text for logs;
// empty when nothing was reused.
std::string DescribeReused(const std::vector<FactCache::Reused>& reused);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_FACT_CACHE_H_
