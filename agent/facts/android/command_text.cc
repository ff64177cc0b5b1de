#include "agent/facts/android/command_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "agent/facts/android/property_parser.h"

namespace trellis::agent::android_facts {

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

absl::StatusOr<std::optional<std::string>> Getprop(CollectContext& ctx,
                                                   const std::string& name) {
  absl::StatusOr<CommandResult> out =
      RunExpectingSuccess(ctx, {"getprop", name});
  if (!out.ok()) return out.status();
  return ParseGetpropValue(out->stdout_text);
}

absl::StatusOr<std::optional<int64_t>> SettingsInteger(CollectContext& ctx,
                                                       const std::string& ns,
                                                       const std::string& key) {
  const std::vector<std::string> argv = {"settings", "get", ns, key};
  absl::StatusOr<CommandResult> out = RunExpectingSuccess(ctx, argv);
  if (!out.ok()) return out.status();
  absl::StatusOr<std::optional<int64_t>> value =
      ParseSettingsInteger(out->stdout_text);
  if (!value.ok()) {
    return absl::InvalidArgumentError(ParseFailureReason(argv, value.status()));
  }
  return value;
}

}  // namespace trellis::agent::android_facts
