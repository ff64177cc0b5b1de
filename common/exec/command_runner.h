// Collectors run commands only through this interface: the real runner
// executes with a time limit and no shell; tests replay recorded output.
#ifndef TRELLIS_COMMON_EXEC_COMMAND_RUNNER_H_
#define TRELLIS_COMMON_EXEC_COMMAND_RUNNER_H_

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis {

struct CommandResult {
  int exit_code = 0;
  std::string stdout_text;  // capped at 4 MiB
  std::string stderr_text;  // capped at 64 KiB
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // NotFound when the program does not exist; DeadlineExceeded when it
  // outlives `timeout` (it is killed). A non-zero exit is not an error here:
  // the caller decides what it means.
  virtual absl::StatusOr<CommandResult> Run(
      const std::vector<std::string>& argv, absl::Duration timeout) = 0;
  // As Run, and Cancelled soon after `*cancelled` becomes true (the command
  // is killed), so a diagnostic a help-desk operator cancels stops at once.
  // Runners that cannot stop a command early just run it to its timeout.
  virtual absl::StatusOr<CommandResult> RunCancellable(
      const std::vector<std::string>& argv, absl::Duration timeout,
      const std::atomic<bool>& cancelled) {
    return Run(argv, timeout);
  }
};

// fork/exec with a clean environment (LC_ALL=C, so POSIX tools do not
// localise; parsers still cope with localised output from others),
// stdin from /dev/null, and SIGKILL at the deadline.
class RealCommandRunner : public CommandRunner {
 public:
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override;
  // Looks at `cancelled` at least every 50 ms and kills the command's
  // process group when it is set.
  absl::StatusOr<CommandResult> RunCancellable(
      const std::vector<std::string>& argv, absl::Duration timeout,
      const std::atomic<bool>& cancelled) override;

 private:
  absl::StatusOr<CommandResult> RunUntil(const std::vector<std::string>& argv,
                                         absl::Duration timeout,
                                         const std::atomic<bool>* cancelled);
};

// Replays canned results keyed by the joined argv ("sw_vers -productVersion").
class FakeCommandRunner : public CommandRunner {
 public:
  void Set(const std::string& command_line, CommandResult result) {
    results_[command_line] = std::move(result);
  }
  void SetError(const std::string& command_line, absl::Status error) {
    errors_[command_line] = std::move(error);
  }
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override;
  const std::vector<std::string>& calls() const { return calls_; }

 private:
  std::map<std::string, CommandResult> results_;
  std::map<std::string, absl::Status> errors_;
  std::vector<std::string> calls_;
};

}  // namespace trellis

#endif  // TRELLIS_COMMON_EXEC_COMMAND_RUNNER_H_
