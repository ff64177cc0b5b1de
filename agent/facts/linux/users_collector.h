// users: local accounts that can log in or hold admin rights, from
// /etc/passwd, /etc/group and (when readable, i.e. as root) /etc/shadow.
#ifndef TRELLIS_AGENT_FACTS_LINUX_USERS_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_USERS_COLLECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// One /etc/passwd line.
struct PasswdEntry {
  std::string name;
  std::string password;  // "x" means "look in /etc/shadow"
  int64_t uid = 0;
  int64_t gid = 0;
  std::string shell;  // empty means /bin/sh (passwd(5))
};

// One /etc/group line.
struct GroupEntry {
  std::string name;
  int64_t gid = 0;
  std::vector<std::string> members;
};

// What the password hash field says about an account.
struct PasswordState {
  bool has_password = false;
  bool locked = false;
};

// One row of the users table.
struct UserRow {
  std::string username;
  int64_t uid = 0;
  bool is_admin = false;
  std::optional<bool> has_password;
  std::optional<bool> locked;
  bool is_system = false;
  std::optional<std::string> shell;
};

// Lines that are not name:pw:uid:gid:gecos:home:shell with numeric ids
// (comments, NIS "+"/"-" entries, truncated lines) are skipped. Later
// duplicates of a name are dropped, as getpwnam() returns the first.
std::vector<PasswdEntry> ParsePasswd(absl::string_view text);

// name:pw:gid:member,member; malformed lines are skipped.
std::vector<GroupEntry> ParseGroup(absl::string_view text);

// name -> state of the hash field; malformed lines are skipped.
std::map<std::string, PasswordState> ParseShadow(absl::string_view text);

// The state of a hash field: empty = no password; leading '!' or '*' =
// password login disabled.
PasswordState PasswordStateOf(absl::string_view hash_field);

// True when the shell lets the account log in (not nologin or false).
bool IsLoginShell(absl::string_view shell);

// The accounts to report: those that can log in, admins and uid 0.
// `shadow` is null when /etc/shadow could not be read; has_password and
// locked are then NULL unless /etc/passwd itself holds the hash.
std::vector<UserRow> BuildUserRows(
    const std::vector<PasswdEntry>& passwd,
    const std::vector<GroupEntry>& groups,
    const std::map<std::string, PasswordState>* shadow);

v1::FactTable UsersTable(const std::vector<UserRow>& rows);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_USERS_COLLECTOR_H_
