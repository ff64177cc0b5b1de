#include "agent/facts/fact_cache.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/facts/collection_schedule.h"

namespace trellis::agent {
namespace {

// One line per stamp: its modification time, or why there is none (a
// missing file is a state of its own; its appearance is a change).
std::string ReadStamps(const CollectionSchedule& schedule,
                       SystemSource* system) {
  std::string out;
  if (system == nullptr) return out;  // no stamps to read: interval only
  for (const std::string& path : schedule.change_stamps) {
    absl::StatusOr<absl::Time> t = system->ModifiedTime(path);
    absl::StrAppend(&out, path, "=",
                    t.ok() ? absl::StrCat(absl::ToUnixNanos(*t))
                           : absl::StatusCodeToString(t.status().code()),
                    "\n");
  }
  return out;
}

}  // namespace

v1::FactTable FactCache::Collect(Collector& collector,
                                 CollectContext& context) {
  const CollectionSchedule* schedule = ScheduleFor(collector.table());
  if (schedule == nullptr) return collector.Collect(context);
  const absl::Time now = context.clock->Now();
  // Read before collecting, so a change while collecting shows next time.
  std::string stamps = ReadStamps(*schedule, context.system);
  auto it = entries_.find(schedule->table);
  if (it != entries_.end()) {
    const Entry& entry = it->second;
    // A clock that went back also makes the entry stale.
    if (entry.stamps == stamps && entry.collected_at <= now &&
        now - entry.collected_at < schedule->max_age) {
      reused_.push_back({schedule->table, entry.collected_at});
      return entry.table;
    }
  }
  v1::FactTable table = collector.Collect(context);
  if (table.status() == v1::FactTable::STATUS_OK) {
    entries_[schedule->table] = Entry{table, now, std::move(stamps)};
  } else {
    entries_.erase(schedule->table);
  }
  return table;
}

std::string DescribeReused(const std::vector<FactCache::Reused>& reused) {
  std::vector<std::string> parts;
  for (const FactCache::Reused& r : reused) {
    parts.push_back(
        absl::StrCat(r.table, " as collected at ",
                     absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", r.collected_at,
                                      absl::UTCTimeZone())));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace trellis::agent
