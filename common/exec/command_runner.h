// Collectors run commands only through this interface: the real runner
// executes with a time limit and no shell; tests replay recorded output.
#ifndef TRELLIS_COMMON_EXEC_COMMAND_RUNNER_H_
#define TRELLIS_COMMON_EXEC_COMMAND_RUNNER_H_

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
};

// fork/exec with a clean environment (LC_ALL=C, so POSIX tools do not
// localise; parsers still cope with localised output from others),
// stdin from /dev/null, and SIGKILL at the deadline.
class RealCommandRunner : public CommandRunner {
 public:
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override;
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
