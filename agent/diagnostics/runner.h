// Runs one diagnostic of the catalogue: validates its parameters, refuses
// detailed-class diagnostics on a personal device without the employee's
// consent, then runs it within a time bound and an output bound, streaming
// its output to a sink as it is produced. Cancel() stops it promptly.
//
// This is the interface the live channel calls; `trellis-agent diagnose`
// uses it the same way:
//   DiagnosticRunner runner(env);             // one runner per run
//   RunResult result = runner.Run(request, [&](absl::string_view chunk) {
//     /* send chunk (whole lines, '\n'-terminated) */ });
//   // from another thread, at any time: runner.Cancel();
#ifndef TRELLIS_AGENT_DIAGNOSTICS_RUNNER_H_
#define TRELLIS_AGENT_DIAGNOSTICS_RUNNER_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/diagnostics/diagnostic.h"

namespace trellis::agent::diagnostics {

// Receives output as it is produced: whole lines ending in '\n', and at
// most once the truncation marker. Called on the running thread. The text
// is the device's and untrusted: print it through TerminalSafe.
using OutputSink = std::function<void(absl::string_view chunk)>;

enum class RunState { kSucceeded, kFailed, kTimedOut, kCancelled, kRefused };
// "succeeded", "failed", "timed_out", "cancelled", "refused".
const char* RunStateName(RunState state);

struct RunResult {
  RunState state = RunState::kFailed;
  // Why it failed, timed out or was refused; "done" on success.
  std::string message;
  absl::Duration elapsed;
  bool truncated = false;
  size_t output_bytes = 0;  // delivered to the sink, marker included
};

struct DiagnosticRequest {
  std::string name;
  // In the order given; a name twice is refused.
  std::vector<std::pair<std::string, std::string>> params;
  // Zero: the diagnostic's defaults. Otherwise within the hard limits
  // below, or the request is refused.
  absl::Duration time_bound;
  size_t max_output_bytes = 0;
};

inline constexpr absl::Duration kMaxTimeBound = absl::Minutes(5);
inline constexpr size_t kMaxOutputBytes = 1 << 20;

// The running diagnostic's view: its parameters, its environment, its
// output, and how long it may still take.
class DiagnosticContext {
 public:
  DiagnosticContext(const DiagnosticEnvironment& env, const Params& params,
                    absl::Time deadline, size_t max_output_bytes,
                    const std::atomic<bool>& cancelled, const OutputSink& sink);

  const Params& params() const { return params_; }
  const DiagnosticEnvironment& env() const { return env_; }
  const Clock& clock() const { return *env_.clock; }

  // Writes `text` and a newline. Past the output bound the text is cut
  // (at a UTF-8 boundary), "[output truncated at N bytes]" follows once,
  // and later lines are dropped.
  void Line(absl::string_view text);
  bool truncated() const { return truncated_; }
  size_t output_bytes() const { return output_bytes_; }

  // Time left before the deadline (zero once passed).
  absl::Duration Remaining() const;
  bool Cancelled() const { return cancelled_.load(); }
  const std::atomic<bool>& cancel_flag() const { return cancelled_; }
  // Cancelled or DeadlineExceeded once the run must stop; OK otherwise.
  // Diagnostics call it between steps.
  absl::Status CheckContinue() const;

  // Runs a fixed program through the environment's CommandRunner, bounded
  // by the time left and stopped by Cancel(). Errors name the command.
  absl::StatusOr<CommandResult> RunCommand(
      const std::vector<std::string>& argv);
  // The same bound and cancellation for code that takes a CommandRunner
  // (the tunnel controller, fact collectors): each command's timeout is cut
  // to the time left.
  CommandRunner& runner() { return *bounded_runner_; }

 private:
  const DiagnosticEnvironment& env_;
  const Params& params_;
  const absl::Time deadline_;
  const size_t max_output_bytes_;
  const std::atomic<bool>& cancelled_;
  const OutputSink& sink_;
  std::unique_ptr<CommandRunner> bounded_runner_;
  size_t output_bytes_ = 0;
  bool truncated_ = false;
};

class DiagnosticRunner {
 public:
  // `catalogue` defaults to the agent's (catalogue.h); tests pass their own.
  explicit DiagnosticRunner(
      DiagnosticEnvironment env,
      const std::vector<DiagnosticSpec>* catalogue = nullptr);

  // Runs the request to its end, cancellation or deadline. One run per
  // runner; a second call is refused.
  RunResult Run(const DiagnosticRequest& request, const OutputSink& sink);

  // Thread-safe and async-signal-safe (it only sets a flag): the run stops
  // at its next step, and a command it is running is killed. Before Run,
  // Run returns kCancelled at once.
  void Cancel() { cancelled_.store(true); }

 private:
  RunResult Execute(const DiagnosticRequest& request, const OutputSink& sink,
                    absl::Time start);

  DiagnosticEnvironment env_;
  const std::vector<DiagnosticSpec>& catalogue_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> used_{false};
};

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_RUNNER_H_
