#include "agent/facts/windows/os_updates_parser.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {

absl::StatusOr<std::vector<PendingUpdate>> ParsePendingUpdates(
    absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  std::vector<PendingUpdate> updates;
  for (const google::protobuf::Struct& o : *objects) {
    std::optional<std::string> title = GetString(o, "Title");
    if (!title) return absl::InvalidArgumentError("an update has no Title");
    PendingUpdate u;
    u.title = *title;
    std::optional<std::string> severity = GetString(o, "MsrcSeverity");
    if (severity && !severity->empty()) u.msrc_severity = severity;
    updates.push_back(std::move(u));
  }
  return updates;
}

bool IsSecurityUpdate(const PendingUpdate& update) {
  if (update.msrc_severity) return true;
  std::string title = absl::AsciiStrToLower(update.title);
  for (const char* word : {"security", "sicherheit", "sécurité", "seguridad"}) {
    if (absl::StrContains(title, word)) return true;
  }
  return false;
}

absl::StatusOr<bool> ParseNoAutoUpdate(absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  if (objects->size() != 1) {
    return absl::InvalidArgumentError("expected one object");
  }
  std::optional<int64_t> value = GetInteger(objects->front(), "NoAutoUpdate");
  if (value == 1) return false;
  if (value == 0) return true;
  return absl::InvalidArgumentError("NoAutoUpdate is not 0 or 1");
}

v1::FactTable BuildOsUpdatesTable(const std::vector<PendingUpdate>& updates,
                                  std::optional<bool> automatic_updates) {
  int64_t security = 0;
  for (const PendingUpdate& u : updates) {
    if (IsSecurityUpdate(u)) ++security;
  }
  facts::TableBuilder table("os_updates");
  table.Row()
      .Text("manager", "windows-update")
      .Integer("pending", static_cast<int64_t>(updates.size()))
      .Integer("pending_security", security)
      .Integer("days_since_last_update", std::nullopt)
      .Bool("automatic_updates", automatic_updates);
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
