#include "agent/facts/macos/secure_boot_parser.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/command_text.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {

absl::StatusOr<SipStatus> ParseCsrutilStatus(absl::string_view text) {
  SipStatus out;
  bool have_status = false;
  bool in_configuration = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "System Integrity Protection status:")) {
      line = absl::StripAsciiWhitespace(line);
      for (const char* word : {"enabled", "disabled", "unknown"}) {
        if (absl::StartsWith(line, word)) {
          out.status = word;
          have_status = true;
        }
      }
      if (!have_status) {
        return absl::InvalidArgumentError(
            absl::StrCat("unrecognised SIP status '", line.substr(0, 60), "'"));
      }
      out.custom_configuration =
          absl::StrContains(line, "Custom Configuration");
    } else if (line == "Configuration:") {
      in_configuration = true;
    } else if (in_configuration) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(line, absl::MaxSplits(':', 1));
      absl::string_view name = absl::StripAsciiWhitespace(kv.first);
      absl::string_view value = absl::StripAsciiWhitespace(kv.second);
      if (value == "enabled" || value == "disabled") {
        out.protections.emplace_back(std::string(name), value == "enabled");
      } else {
        // A blank line or the closing warning ends the list.
        in_configuration = false;
      }
    }
  }
  if (!have_status) {
    std::string first = FirstLine(text);
    if (first.empty()) return absl::InvalidArgumentError("empty output");
    return absl::InvalidArgumentError(
        absl::StrCat("no SIP status line in output: '", first, "'"));
  }
  return out;
}

std::optional<bool> SipEnforcing(const SipStatus& status) {
  if (!status.custom_configuration) {
    if (status.status == "enabled") return true;
    if (status.status == "disabled") return false;
    return std::nullopt;
  }
  bool any = false;
  for (const auto& [name, enabled] : status.protections) {
    if (name == "Apple Internal") continue;
    any = true;
    if (!enabled) return false;
  }
  if (!any) return std::nullopt;
  return true;
}

v1::FactTable BuildSecureBootTable(const SipStatus& status) {
  facts::TableBuilder table("secure_boot");
  table.Row()
      .Bool("supported", true)
      .Bool("enabled", SipEnforcing(status))
      .Text("source", "csrutil");
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
