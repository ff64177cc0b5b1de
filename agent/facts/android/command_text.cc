#include "agent/facts/android/command_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "agent/facts/android/property_parser.h"

namespace trellis::agent::android_facts {

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
