#include "agent/facts/command_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace trellis::agent {

std::string CommandLine(const std::vector<std::string>& argv) {
  return absl::StrJoin(argv, " ");
}

std::string FirstLine(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\r\n"))) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) return std::string(line.substr(0, 160));
  }
  return "";
}

std::string LastLine(absl::string_view text) {
  std::string last;
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\r\n"))) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) last = std::string(line.substr(0, 160));
  }
  return last;
}

absl::StatusOr<CommandResult> RunCommand(CollectContext& ctx,
                                         const std::vector<std::string>& argv) {
  absl::StatusOr<CommandResult> result =
      ctx.runner->Run(argv, ctx.command_timeout);
  if (!result.ok()) {
    return absl::Status(
        result.status().code(),
        absl::StrCat(CommandLine(argv), ": ", result.status().message()));
  }
  return result;
}

absl::StatusOr<CommandResult> RunExpectingSuccess(
    CollectContext& ctx, const std::vector<std::string>& argv) {
  absl::StatusOr<CommandResult> result = RunCommand(ctx, argv);
  if (!result.ok() || result->exit_code == 0) return result;
  std::string detail = FirstLine(result->stderr_text);
  if (detail.empty()) detail = FirstLine(result->stdout_text);
  if (detail.empty()) detail = "no output";
  return absl::FailedPreconditionError(
      absl::StrCat(CommandLine(argv), ": exited with status ",
                   result->exit_code, ": ", detail));
}

std::string ParseFailureReason(const std::vector<std::string>& argv,
                               const absl::Status& status) {
  return absl::StrCat(CommandLine(argv), ": ", status.message());
}

}  // namespace trellis::agent
