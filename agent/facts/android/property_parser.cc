#include "agent/facts/android/property_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace trellis::agent::android_facts {

std::optional<std::string> ParseGetpropValue(absl::string_view text) {
  absl::string_view value = absl::StripAsciiWhitespace(text);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

absl::StatusOr<std::optional<int64_t>> ParseSettingsInteger(
    absl::string_view text) {
  absl::string_view value = absl::StripAsciiWhitespace(text);
  if (value == "null") return std::optional<int64_t>();
  int64_t n = 0;
  if (absl::SimpleAtoi(value, &n)) return std::optional<int64_t>(n);
  if (value.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(
      absl::StrCat("not a number: '", value.substr(0, 80), "'"));
}

}  // namespace trellis::agent::android_facts
