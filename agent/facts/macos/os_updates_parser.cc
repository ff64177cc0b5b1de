#include "agent/facts/macos/os_updates_parser.h"

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/command_text.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

// "macOS Sonoma 14.4.1, Version: 14.4.1, Size: ..." -> "macOS Sonoma
// 14.4.1"; the old format's "Safari (12.1), 66508K [recommended]" ->
// "Safari (12.1)".
std::string TitleOf(absl::string_view description) {
  size_t cut = description.find(", Version:");
  if (cut == absl::string_view::npos) cut = description.find(", Size:");
  if (cut == absl::string_view::npos) cut = description.find(", ");
  absl::string_view title = description.substr(0, cut);
  return std::string(absl::StripAsciiWhitespace(absl::StripSuffix(title, ",")));
}

}  // namespace

absl::StatusOr<std::vector<AvailableUpdate>> ParseSoftwareUpdateList(
    absl::string_view text) {
  std::vector<AvailableUpdate> updates;
  bool none_available = false;
  bool list_header = false;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (absl::StartsWith(line, "No new software available")) {
      none_available = true;
    } else if (absl::StrContains(line, "found the following new or updated")) {
      list_header = true;
    } else if (absl::ConsumePrefix(&line, "* ")) {
      absl::ConsumePrefix(&line, "Label: ");
      line = absl::StripAsciiWhitespace(line);
      if (line.empty()) continue;
      AvailableUpdate update;
      update.label = std::string(line);
      updates.push_back(std::move(update));
    } else if (!updates.empty() && !line.empty() &&
               !updates.back().title.has_value() &&
               (raw.front() == '\t' || raw.front() == ' ')) {
      // The indented line under a label describes it.
      absl::string_view description = line;
      absl::ConsumePrefix(&description, "Title: ");
      updates.back().title = TitleOf(description);
      updates.back().restart_required =
          absl::StrContains(line, "Action: restart") ||
          absl::StrContains(line, "[restart]");
    }
  }
  if (!updates.empty() && none_available) {
    return absl::InvalidArgumentError(
        "output both lists updates and says none are available");
  }
  if (!updates.empty() || none_available) return updates;
  if (list_header) {
    return absl::InvalidArgumentError(
        "the update list is announced but empty (output cut off?)");
  }
  // The progress lines come first; an error, if any, is last.
  std::string last = LastLine(text);
  if (last.empty()) return absl::InvalidArgumentError("empty output");
  return absl::InvalidArgumentError(absl::StrCat(
      "neither an update list nor 'No new software available.' in output: '",
      last, "'"));
}

bool IsSecurityUpdate(const AvailableUpdate& update) {
  // Every Apple security label says "Security": "Security Update
  // 2024-001", "Rapid Security Response", "Background Security
  // Improvement".
  return absl::StrContains(absl::AsciiStrToLower(update.label), "security") ||
         (update.title &&
          absl::StrContains(absl::AsciiStrToLower(*update.title), "security"));
}

v1::FactTable BuildOsUpdatesTable(const std::vector<AvailableUpdate>& updates,
                                  std::optional<bool> automatic_updates) {
  int64_t security = 0;
  for (const AvailableUpdate& u : updates) {
    if (IsSecurityUpdate(u)) ++security;
  }
  facts::TableBuilder table("os_updates");
  table.Row()
      .Text("manager", "softwareupdate")
      .Integer("pending", static_cast<int64_t>(updates.size()))
      .Integer("pending_security", security)
      .Integer("days_since_last_update", std::nullopt)
      .Bool("automatic_updates", automatic_updates);
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
