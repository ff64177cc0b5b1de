#include "agent/facts/windows/secure_boot_parser.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {

absl::StatusOr<SecureBootState> ParseConfirmSecureBootUefi(
    const CommandResult& result) {
  std::string all = absl::AsciiStrToLower(
      absl::StrCat(result.stdout_text, "\n", result.stderr_text));
  // STATUS_NOT_IMPLEMENTED: the firmware is not UEFI. The English message
  // is matched too, for output that lost the code.
  if (absl::StrContains(all, "0xc0000002") ||
      absl::StrContains(all, "not supported on this platform")) {
    return SecureBootState{false, false};
  }
  // STATUS_VARIABLE_NOT_FOUND: UEFI, but no SecureBoot variable at all.
  if (absl::StrContains(all, "0xc0000100")) {
    return SecureBootState{true, false};
  }
  if (std::optional<std::string> failure = PowerShellFailure(result)) {
    return absl::FailedPreconditionError(*failure);
  }
  // Without ConvertTo-Json the cmdlet prints True/False; accept that too.
  std::string bare =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(result.stdout_text));
  if (bare == "true") return SecureBootState{true, true};
  if (bare == "false") return SecureBootState{true, false};
  absl::StatusOr<google::protobuf::Value> value =
      ParsePowerShellJson(result.stdout_text);
  if (!value.ok()) return value.status();
  if (value->kind_case() == google::protobuf::Value::kBoolValue) {
    return SecureBootState{true, value->bool_value()};
  }
  if (value->kind_case() == google::protobuf::Value::kStringValue) {
    std::string s = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(value->string_value()));
    if (s == "true") return SecureBootState{true, true};
    if (s == "false") return SecureBootState{true, false};
  }
  return absl::InvalidArgumentError("output is not True or False");
}

v1::FactTable BuildSecureBootTable(const SecureBootState& state) {
  facts::TableBuilder table("secure_boot");
  table.Row()
      .Bool("supported", state.supported)
      .Bool("enabled", state.enabled)
      .Text("source", "windows");
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
