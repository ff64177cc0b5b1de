#include "server/compliance/compliance_sweeper.h"

#include "absl/strings/str_cat.h"
#include "common/util/logging.h"
#include "common/util/time_format.h"
#include "server/compliance/compliance_transition.h"

namespace trellis::server {
namespace {

constexpr uint64_t kPeerChangesKept = 100000;

}  // namespace

absl::StatusOr<int> ComplianceSweeper::SweepOnce() {
  const absl::Time now = clock_->Now();
  const absl::Time stale_before = staleness_.StaleBefore(now);
  int moved = 0;
  absl::Status s = store_->WriteSync([&](StoreWriter& w) -> absl::Status {
    // Inside the write, so a check-in racing the sweep is either seen here
    // or wins afterwards with fresher facts.
    auto due = w.ListDevicesDue(now, stale_before);
    if (!due.ok()) return due.status();
    for (DeviceRecord& d : *due) {
      absl::Status st;
      // Never seen: stale once staleness counts at all.
      const bool stale = d.last_seen_at ? *d.last_seen_at < stale_before
                                        : stale_before != absl::InfinitePast();
      if (stale) {
        st = MoveCompliance(
            w, d, v1::COMPLIANCE_STATE_STALE, std::nullopt,
            absl::StrCat(
                "no check-in since ",
                d.last_seen_at ? Rfc3339(*d.last_seen_at) : "enrolment",
                " (validity window ",
                absl::FormatDuration(staleness_.validity_window()), ")"),
            now);
      } else {
        st = MoveCompliance(
            w, d, v1::COMPLIANCE_STATE_NONCOMPLIANT, std::nullopt,
            absl::StrCat("grace period ended at ", Rfc3339(*d.grace_deadline)),
            now);
      }
      if (st.ok()) st = SaveDeviceAndPeer(w, d, peers_, now).status();
      if (!st.ok()) return st;
      ++moved;
    }
    if (redecider_ != nullptr) {
      auto ended =
          w.ListDevicesWithExceptionsEnding(exceptions_checked_through_, now);
      if (!ended.ok()) return ended.status();
      for (const std::string& id : *ended) {
        auto changed = redecider_->Redecide(w, id, "an exception ended", now);
        if (!changed.ok()) return changed.status();
        moved += *changed;
      }
    }
    // The gateway change log keeps its newest entries; a gateway further
    // behind than that resumes with a snapshot instead.
    auto bounds = w.GetPeerFeedBounds();
    if (!bounds.ok()) return bounds.status();
    if (bounds->latest_serial > kPeerChangesKept &&
        bounds->oldest_serial <= bounds->latest_serial - kPeerChangesKept) {
      return w.PrunePeerChanges(bounds->latest_serial - kPeerChangesKept);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  exceptions_checked_through_ = now;
  return moved;
}

void ComplianceSweeper::Start(absl::Duration period) {
  thread_ = std::thread([this, period] {
    while (!stop_.WaitForNotificationWithTimeout(period)) {
      auto moved = SweepOnce();
      if (!moved.ok()) {
        LogError("compliance: sweep failed: ", moved.status().message());
      } else if (*moved > 0) {
        LogInfo("compliance: ", *moved, " device(s) changed state by timer");
      }
    }
  });
}

void ComplianceSweeper::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace trellis::server
