#include "agent/checkin/run_loop.h"

#include <algorithm>

#include "agent/checkin/checkin_client.h"
#include "agent/cli/status_file.h"
#include "agent/renewal/certificate_renewal.h"
#include "common/util/files.h"
#include "common/util/logging.h"

namespace trellis::agent {

bool IsFatalForDevice(const absl::Status& status) {
  return absl::IsPermissionDenied(status) && IsServerAnswer(status);
}

absl::Status RunLoop::Attempt(const RunOptions& options,
                              int* next_interval_seconds) {
  auto record = state_.LoadRecord();
  if (!record.ok()) return record.status();
  auto renewed =
      RenewIfDue(state_, *record, probe_->clock()->Now(), options.rpc_timeout);
  if (!renewed.ok()) {
    // The current certificate still works until it expires; keep going.
    LogWarning("agent: certificate renewal failed: ",
               renewed.status().message());
  }
  CheckInOptions checkin;
  checkin.timeout = options.rpc_timeout;
  checkin.use_vpn = options.use_vpn;
  auto response = CheckInOnce(state_, *probe_, checkin);
  if (vpn_ != nullptr) {
    // A tunnel problem never fails the check-in; the enforcer logs it.
    if (response.ok()) {
      vpn_->OnAssignment(response->vpn());
    } else {
      vpn_->OnCheckInFailed();
    }
  }
  if (!response.ok()) return response.status();
  *next_interval_seconds = response->next_checkin_seconds();
  const std::string reused = DescribeReused(probe_->fact_cache().reused());
  LogInfo("agent: checked in (sequence ", response->accepted_sequence(),
          response->duplicate() ? ", retry" : "",
          response->facts_unchanged() ? ", posture unchanged" : "",
          reused.empty() ? "" : "; reused ", reused, ")");
  return absl::OkStatus();
}

bool RunLoop::Wait(absl::Duration delay) {
  if (vpn_ == nullptr || !vpn_->WantsWatchdog()) return sleep_(delay);
  const Clock* clock = probe_->clock();
  const absl::Duration step =
      std::max(vpn_->watchdog_interval(), absl::Milliseconds(100));
  const absl::Time until = clock->Now() + delay;
  // Bounded by count as well as by the clock, in case the clock given does
  // not move with the sleeper.
  const int64_t max_steps = delay / step + 1;
  for (int64_t i = 0; i < max_steps; ++i) {
    absl::Duration left = until - clock->Now();
    if (left <= absl::ZeroDuration()) break;
    if (!sleep_(std::min(left, step))) return false;
    if (clock->Now() < until) vpn_->Watchdog();
  }
  return true;
}

absl::Status RunLoop::Run(const RunOptions& options) {
  // Before enrolment there is nothing to run: said at once, not retried.
  if (!FileExists(state_.RecordPath())) return state_.LoadRecord().status();
  LoopTiming timing = options.timing;
  Backoff backoff(timing, uniform01_);
  for (int attempt = 1;; ++attempt) {
    int server_interval = 0;
    absl::Status s = Attempt(options, &server_interval);
    // What a normal user's `trellis-agent status` shows.
    absl::Status published = WriteStatusFile(state_, probe_->clock()->Now());
    if (!published.ok()) LogWarning("agent: ", published.message());
    if (options.once) return s;
    if (!s.ok() && IsFatalForDevice(s)) {
      LogError("agent: stopping: ", s.message());
      if (vpn_ != nullptr) vpn_->OnStop(/*lost_identity=*/true);
      return s;
    }
    absl::Duration delay;
    if (s.ok()) {
      // The server may ask for a different interval (policy, load).
      if (options.follow_server_interval && server_interval > 0) {
        timing.interval = absl::Seconds(server_interval);
      }
      backoff = Backoff(timing, uniform01_);
      delay = backoff.AfterSuccess();
    } else {
      delay = backoff.AfterFailure();
      LogWarning(
          "agent: ", s.message(), "; retrying in ",
          absl::FormatDuration(absl::Trunc(delay, absl::Milliseconds(1))),
          " (attempt ", backoff.consecutive_failures(), ")");
    }
    if (options.max_attempts > 0 && attempt >= options.max_attempts) return s;
    if (!Wait(delay)) {
      if (vpn_ != nullptr) vpn_->OnStop(/*lost_identity=*/false);
      return absl::OkStatus();
    }
  }
}

}  // namespace trellis::agent
