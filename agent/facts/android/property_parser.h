// The two value sources every Android collector reads: system properties
// (`getprop NAME`) and settings (`settings get NAMESPACE KEY`).
#ifndef TRELLIS_AGENT_FACTS_ANDROID_PROPERTY_PARSER_H_
#define TRELLIS_AGENT_FACTS_ANDROID_PROPERTY_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::agent::android_facts {

// `getprop NAME` prints the value, or an empty line when the property is
// not set (nullopt). Whitespace, including the "\r" an old adb pty adds,
// is trimmed.
std::optional<std::string> ParseGetpropValue(absl::string_view text);

// `settings get NAMESPACE KEY` prints the value or "null" when the key is
// unset (nullopt). Anything but an integer or "null" (an error message on
// stdout, a cut-off answer) is an error.
absl::StatusOr<std::optional<int64_t>> ParseSettingsInteger(
    absl::string_view text);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_PROPERTY_PARSER_H_
