// users on Windows: Get-LocalUser and the Administrators group's members.
// Both are needed: without the group every is_admin would be a guess.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/facts/windows/powershell.h"
#include "agent/facts/windows/users_parser.h"
#include "agent/facts/windows/windows_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

class UsersCollector : public Collector {
 public:
  std::string table() const override { return "users"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::string> users_json =
        RunPowerShell(ctx, "Get-LocalUser", kLocalUsersScript);
    if (!users_json.ok()) {
      return facts::TableBuilder::Unknown(table(),
                                          users_json.status().message());
    }
    absl::StatusOr<std::vector<LocalUser>> users = ParseLocalUsers(*users_json);
    if (!users.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Get-LocalUser (PowerShell): ",
                                users.status().message()));
    }
    // Get-LocalGroupMember fails outright when the group holds a SID it
    // cannot resolve (an orphaned domain or Azure AD account); that is
    // unknown, not "no administrators".
    absl::StatusOr<std::string> admins_json =
        RunPowerShell(ctx, "Get-LocalGroupMember", kAdministratorsScript);
    if (!admins_json.ok()) {
      return facts::TableBuilder::Unknown(table(),
                                          admins_json.status().message());
    }
    absl::StatusOr<std::vector<GroupMember>> admins =
        ParseLocalGroupMembers(*admins_json);
    if (!admins.ok()) {
      return facts::TableBuilder::Unknown(
          table(), absl::StrCat("Get-LocalGroupMember (PowerShell): ",
                                admins.status().message()));
    }
    return BuildUsersTable(*users, *admins);
  }
};

}  // namespace

std::unique_ptr<Collector> NewUsersCollector() {
  return std::make_unique<UsersCollector>();
}

}  // namespace trellis::agent::windows_facts
