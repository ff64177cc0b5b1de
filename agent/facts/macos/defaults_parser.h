// `defaults read DOMAIN KEY` answers, shared by the collectors that read
// macOS preferences. A key that is not set makes defaults exit 1 with "The
// domain/default pair of (D, K) does not exist" on stderr; collectors report
// that, like any other failure to read, as NULL.
#ifndef TRELLIS_AGENT_FACTS_MACOS_DEFAULTS_PARSER_H_
#define TRELLIS_AGENT_FACTS_MACOS_DEFAULTS_PARSER_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::agent::macos_facts {

// A boolean preference: defaults prints 1/0 (and YES/NO or true/false for
// values written as strings).
absl::StatusOr<bool> ParseDefaultsBool(absl::string_view text);

// An integer preference, e.g. "300". Reals written by the UI ("300.0") are
// accepted when whole.
absl::StatusOr<int64_t> ParseDefaultsInteger(absl::string_view text);

}  // namespace trellis::agent::macos_facts

#endif  // TRELLIS_AGENT_FACTS_MACOS_DEFAULTS_PARSER_H_
