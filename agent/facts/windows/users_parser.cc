#include "agent/facts/windows/users_parser.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/windows/powershell.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::windows_facts {
namespace {

constexpr int64_t kSourceLocal = 1;
constexpr int64_t kSourceMicrosoftAccount = 4;

// "DOMAIN\name" -> "name".
absl::string_view AccountPart(absl::string_view name) {
  size_t slash = name.rfind('\\');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

bool IsBuiltInServiceAccount(const LocalUser& user) {
  if (user.sid) {
    for (const char* rid : {"-501", "-503", "-504"}) {
      if (absl::EndsWith(*user.sid, rid)) return true;
    }
    return false;
  }
  for (const char* name : {"Guest", "DefaultAccount", "WDAGUtilityAccount"}) {
    if (absl::EqualsIgnoreCase(user.name, name)) return true;
  }
  return false;
}

// ObjectClass is localised ("Group", "Gruppe", "Groupe", ...), so groups
// are recognised by name in the common languages and anything else is taken
// for an account: an unknown word adds a row, it never hides an admin.
bool IsGroupClass(absl::string_view object_class) {
  for (const char* group : {"group", "gruppe", "groupe", "grupo", "gruppo"}) {
    if (absl::EqualsIgnoreCase(object_class, group)) return true;
  }
  return false;
}

bool SameAccount(const LocalUser& user, const GroupMember& member) {
  if (user.sid && member.sid) return *user.sid == *member.sid;
  // Without SIDs, only a local (or Microsoft-account-linked local) member
  // can be this account; CONTOSO\alice is not the local alice.
  if (member.principal_source && *member.principal_source != kSourceLocal &&
      *member.principal_source != kSourceMicrosoftAccount) {
    return false;
  }
  return absl::EqualsIgnoreCase(AccountPart(member.name), user.name);
}

}  // namespace

absl::StatusOr<std::vector<LocalUser>> ParseLocalUsers(absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  // Windows always has the built-in Administrator and Guest accounts.
  if (objects->empty()) return absl::InvalidArgumentError("no local users");
  std::vector<LocalUser> users;
  for (const google::protobuf::Struct& o : *objects) {
    std::optional<std::string> name = GetString(o, "Name");
    if (!name || name->empty()) {
      return absl::InvalidArgumentError("a user has no Name");
    }
    LocalUser u;
    u.name = *name;
    u.enabled = GetBool(o, "Enabled");
    u.password_required = GetBool(o, "PasswordRequired");
    u.sid = GetString(o, "SID");
    users.push_back(std::move(u));
  }
  return users;
}

absl::StatusOr<std::vector<GroupMember>> ParseLocalGroupMembers(
    absl::string_view json) {
  absl::StatusOr<std::vector<google::protobuf::Struct>> objects =
      ParsePowerShellObjects(json);
  if (!objects.ok()) return objects.status();
  std::vector<GroupMember> members;
  for (const google::protobuf::Struct& o : *objects) {
    std::optional<std::string> name = GetString(o, "Name");
    if (!name || name->empty()) {
      return absl::InvalidArgumentError("a group member has no Name");
    }
    GroupMember m;
    m.name = *name;
    m.object_class = GetString(o, "ObjectClass");
    m.principal_source = GetEnum(o, "PrincipalSource",
                                 {{"Unknown", 0},
                                  {"Local", 1},
                                  {"ActiveDirectory", 2},
                                  {"AzureAD", 3},
                                  {"MicrosoftAccount", 4}});
    m.sid = GetString(o, "SID");
    members.push_back(std::move(m));
  }
  return members;
}

v1::FactTable BuildUsersTable(const std::vector<LocalUser>& users,
                              const std::vector<GroupMember>& administrators) {
  facts::TableBuilder table("users");
  std::vector<bool> matched(administrators.size(), false);
  for (const LocalUser& u : users) {
    bool is_admin = false;
    for (size_t i = 0; i < administrators.size(); ++i) {
      if (SameAccount(u, administrators[i])) {
        is_admin = true;
        matched[i] = true;
      }
    }
    std::optional<bool> locked;
    if (u.enabled) locked = !*u.enabled;
    table.Row()
        .Text("username", u.name)
        .Integer("uid", std::nullopt)
        .Bool("is_admin", is_admin)
        .Bool("has_password", u.password_required)
        .Bool("locked", locked)
        .Bool("is_system", IsBuiltInServiceAccount(u))
        .Text("shell", std::nullopt);
  }
  for (size_t i = 0; i < administrators.size(); ++i) {
    const GroupMember& m = administrators[i];
    if (matched[i]) continue;
    if (m.object_class && IsGroupClass(*m.object_class)) continue;
    table.Row()
        .Text("username", m.name)
        .Integer("uid", std::nullopt)
        .Bool("is_admin", true)
        .Bool("has_password", std::nullopt)
        .Bool("locked", std::nullopt)
        .Bool("is_system", std::nullopt)
        .Text("shell", std::nullopt);
  }
  return table.Build();
}

}  // namespace trellis::agent::windows_facts
