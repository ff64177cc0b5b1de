#include "agent/facts/collection_schedule.h"

namespace trellis::agent {

const std::vector<CollectionSchedule>& SlowTables() {
  static const auto* const kTables = new std::vector<CollectionSchedule>{
      {"os_updates",
       absl::Hours(1),
       {
           // apt: a successful `apt update`, new package lists, and any
           // install or upgrade (dpkg's database).
           "/var/lib/apt/periodic/update-success-stamp",
           "/var/lib/apt/lists",
           "/var/lib/dpkg/status",
           // dnf: refreshed metadata and the rpm database.
           "/var/cache/dnf",
           "/var/lib/rpm/rpmdb.sqlite",
           "/var/lib/rpm/Packages",
           // macOS: softwareupdate's own record of its last check.
           "/Library/Preferences/com.apple.SoftwareUpdate.plist",
       }},
      {"packages",
       absl::Hours(1),
       {
           "/var/lib/dpkg/status",
           "/var/lib/rpm/rpmdb.sqlite",
           "/var/lib/rpm/Packages",
       }},
  };
  return *kTables;
}

const CollectionSchedule* ScheduleFor(absl::string_view table) {
  for (const CollectionSchedule& schedule : SlowTables()) {
    if (schedule.table == table) return &schedule;
  }
  return nullptr;
}

}  // namespace trellis::agent
