// os_updates on Linux, apt first, else dnf. Everything is read from local
// state: the package lists as of the last `apt update` / dnf metadata
// refresh (the collector never downloads), so "pending" is as fresh as
// that refresh.
//
// apt: pending = packages `apt-get -s dist-upgrade` would upgrade
// ("Inst name [current] (candidate suites...)"). dist-upgrade rather than
// upgrade because kernel security fixes arrive as a new linux-image
// package that plain upgrade keeps back. Held packages are not counted.
// pending_security = those whose candidate comes from a *-security suite.
// days_since_last_update = from the newest /var/log/apt/history.log entry
// that upgraded something. automatic_updates = APT::Periodic::
// Unattended-Upgrade set (as `apt-config dump` resolves apt.conf.d) and the
// unattended-upgrade program present.
//
// dnf: `dnf -q -C check-update` (exit 100 = updates), `dnf -q -C updateinfo
// list --security`, `dnf -q -C history list`; automatic when the
// dnf-automatic-install timer is enabled, or dnf-automatic's is and
// /etc/dnf/automatic.conf says apply_updates.
#ifndef TRELLIS_AGENT_FACTS_LINUX_OS_UPDATES_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_OS_UPDATES_COLLECTOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/facts/collector.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct PendingUpdates {
  int64_t pending = 0;
  int64_t pending_security = 0;
};

// `apt-get -s dist-upgrade` output. The "N upgraded, M newly installed..."
// summary must be there and agree with the Inst lines, so a truncated or
// failed run is an error rather than "0 pending".
absl::StatusOr<PendingUpdates> ParseAptSimulation(absl::string_view text);

// End-Date of the newest history.log entry with an Upgrade: line and no
// Error: line, read in `tz` (apt writes local time). nullopt when none.
std::optional<absl::Time> LatestAptUpgrade(absl::string_view history_log,
                                           absl::TimeZone tz);

// From `apt-config dump`: APT::Periodic::Unattended-Upgrade is "1" (or any
// positive number of days, or "always") and APT::Periodic::Enable is not
// "0". Absent means off, apt's default.
bool AptUnattendedUpgradeConfigured(absl::string_view apt_config_dump);

// `dnf check-update` output with its exit code: 0 = none, 100 = updates
// listed, anything else an error.
absl::StatusOr<int64_t> ParseDnfCheckUpdate(absl::string_view text,
                                            int exit_code);

// `dnf updateinfo list --security`: distinct packages named.
int64_t ParseDnfSecurityList(absl::string_view text);

// `dnf history list` (dnf4's table): newest transaction that upgraded.
std::optional<absl::Time> LatestDnfUpgrade(absl::string_view history_list,
                                           absl::TimeZone tz);

// [commands] apply_updates in /etc/dnf/automatic.conf.
bool DnfAutomaticAppliesUpdates(absl::string_view automatic_conf);

// Whole days from `then` to `now`; 0 when `then` is in the future (clock
// skew).
int64_t DaysSince(absl::Time then, absl::Time now);

struct OsUpdates {
  std::string manager;
  std::optional<int64_t> pending;
  std::optional<int64_t> pending_security;
  std::optional<int64_t> days_since_last_update;
  std::optional<bool> automatic_updates;
};

v1::FactTable OsUpdatesTable(const OsUpdates& updates);

// NewOsUpdatesCollector() reads the logs' local times in the machine's
// zone; tests fix the zone with this.
std::unique_ptr<Collector> NewOsUpdatesCollectorInZone(absl::TimeZone tz);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_OS_UPDATES_COLLECTOR_H_
