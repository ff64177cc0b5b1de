// Android commands the collectors share: getprop and settings, with failures
// turned into reasons that name the command.
#ifndef TRELLIS_AGENT_FACTS_ANDROID_COMMAND_TEXT_H_
#define TRELLIS_AGENT_FACTS_ANDROID_COMMAND_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/collector.h"
#include "agent/facts/command_text.h"
#include "common/exec/command_runner.h"

namespace trellis::agent::android_facts {

// `getprop name`: the value, nullopt when unset, or an error naming the
// command when getprop cannot run or fails.
absl::StatusOr<std::optional<std::string>> Getprop(CollectContext& ctx,
                                                   const std::string& name);

// `settings get ns key` as an integer, nullopt when unset, or an error
// naming the command.
absl::StatusOr<std::optional<int64_t>> SettingsInteger(CollectContext& ctx,
                                                       const std::string& ns,
                                                       const std::string& key);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_COMMAND_TEXT_H_
