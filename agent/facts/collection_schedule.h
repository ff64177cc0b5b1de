// Which fact tables are too slow to collect at every check-in, declared
// once for every platform: how long a collected table is reused, and which
// files change when its answer may have (then it is collected again at
// once). `apt-get -s dist-upgrade` alone costs seconds of CPU; the package
// list is the largest table. Tables not listed here are collected at every
// check-in.
#ifndef TRELLIS_AGENT_FACTS_COLLECTION_SCHEDULE_H_
#define TRELLIS_AGENT_FACTS_COLLECTION_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace trellis::agent {

struct CollectionSchedule {
  std::string table;
  // A table collected longer ago than this is collected again.
  absl::Duration max_age;
  // Files (or directories) whose modification time moves when the answer
  // may have changed: the package manager's database and metadata. Paths
  // absent on a platform simply never change.
  std::vector<std::string> change_stamps;
};

// All slow tables.
const std::vector<CollectionSchedule>& SlowTables();

// The schedule of `table`, or nullptr when it is collected every time.
const CollectionSchedule* ScheduleFor(absl::string_view table);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_COLLECTION_SCHEDULE_H_
