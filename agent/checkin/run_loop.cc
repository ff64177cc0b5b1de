#include "agent/checkin/run_loop.h"

#include "agent/checkin/checkin_client.h"
#include "agent/renewal/certificate_renewal.h"
#include "common/util/logging.h"

namespace trellis::agent {

bool IsFatalForDevice(const absl::Status& status) {
  return absl::IsPermissionDenied(status) ||
         absl::IsFailedPrecondition(status) || absl::IsDataLoss(status);
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
  auto response = CheckInOnce(state_, *probe_, options.rpc_timeout);
  if (!response.ok()) return response.status();
  *next_interval_seconds = response->next_checkin_seconds();
  LogInfo("agent: checked in (sequence ", response->accepted_sequence(),
          response->duplicate() ? ", retry" : "",
          response->facts_unchanged() ? ", posture unchanged" : "", ")");
  return absl::OkStatus();
}

absl::Status RunLoop::Run(const RunOptions& options) {
  LoopTiming timing = options.timing;
  Backoff backoff(timing, uniform01_);
  for (int attempt = 1;; ++attempt) {
    int server_interval = 0;
    absl::Status s = Attempt(options, &server_interval);
    if (options.once) return s;
    if (!s.ok() && IsFatalForDevice(s)) {
      LogError("agent: stopping: ", s.message());
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
    if (!sleep_(delay)) return absl::OkStatus();
  }
}

}  // namespace trellis::agent
