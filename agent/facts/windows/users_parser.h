// users on Windows: local accounts (Get-LocalUser) and the members of the
// local Administrators group, named by its well-known SID S-1-5-32-544 so
// the query works whatever the group is called ("Administratoren",
// "Administrateurs", ...).
#ifndef TRELLIS_AGENT_FACTS_WINDOWS_USERS_PARSER_H_
#define TRELLIS_AGENT_FACTS_WINDOWS_USERS_PARSER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::windows_facts {

// SIDs are flattened to strings: as objects ConvertTo-Json would nest them
// past -Depth.
inline constexpr char kLocalUsersScript[] =
    "Get-LocalUser | Select-Object Name,Enabled,PasswordRequired,"
    "@{Name='SID';Expression={$_.SID.Value}}";
inline constexpr char kAdministratorsScript[] =
    "Get-LocalGroupMember -SID S-1-5-32-544 | Select-Object "
    "Name,ObjectClass,PrincipalSource,@{Name='SID';Expression={$_.SID.Value}}";

struct LocalUser {
  std::string name;
  std::optional<bool> enabled;
  std::optional<bool> password_required;
  std::optional<std::string> sid;  // "S-1-5-21-...-1001"
};

struct GroupMember {
  std::string name;                         // "DESKTOP-7Q2K\alice"
  std::optional<std::string> object_class;  // "User", "Group"
  // 1 Local, 2 ActiveDirectory, 3 AzureAD, 4 MicrosoftAccount.
  std::optional<int64_t> principal_source;
  std::optional<std::string> sid;
};

absl::StatusOr<std::vector<LocalUser>> ParseLocalUsers(absl::string_view json);
absl::StatusOr<std::vector<GroupMember>> ParseLocalGroupMembers(
    absl::string_view json);

// One row per local account, then one per user-type administrator that is
// not a local account (domain, Azure AD), with what is unknown about it
// NULL. Groups inside Administrators (e.g. "CONTOSO\Domain Admins") are not
// accounts and get no row (ObjectClass is localised; see the .cc). Per local
// account:
//   is_admin      its SID (or, without SIDs, its name) is a member
//   has_password  PasswordRequired: an approximation; Windows does not say
//                 whether a password is set, only whether one may be blank
//   locked        not Enabled
//   is_system     the built-in Guest, DefaultAccount and WDAGUtilityAccount
//                 (RIDs 501, 503, 504; by English name when no SID)
//   uid, shell    NULL (no such thing on Windows)
v1::FactTable BuildUsersTable(const std::vector<LocalUser>& users,
                              const std::vector<GroupMember>& administrators);

}  // namespace trellis::agent::windows_facts

#endif  // TRELLIS_AGENT_FACTS_WINDOWS_USERS_PARSER_H_
