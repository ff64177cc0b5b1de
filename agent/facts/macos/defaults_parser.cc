#include "agent/facts/macos/defaults_parser.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace trellis::agent::macos_facts {

absl::StatusOr<bool> ParseDefaultsBool(absl::string_view text) {
  std::string value = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (value == "1" || value == "yes" || value == "true") return true;
  if (value == "0" || value == "no" || value == "false") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("not a boolean: '", value.substr(0, 40), "'"));
}

absl::StatusOr<int64_t> ParseDefaultsInteger(absl::string_view text) {
  absl::string_view value = absl::StripAsciiWhitespace(text);
  int64_t n = 0;
  if (absl::SimpleAtoi(value, &n)) return n;
  double d = 0;
  if (absl::SimpleAtod(value, &d) && std::isfinite(d) && d == std::floor(d) &&
      std::fabs(d) < 9e15) {
    return static_cast<int64_t>(d);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not an integer: '", value.substr(0, 40), "'"));
}

}  // namespace trellis::agent::macos_facts
