#include "agent/facts/linux/users_collector.h"

#include <memory>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "users";

// Ids are plain decimal; anything else marks a damaged line.
std::optional<int64_t> ParseId(absl::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  int64_t id = 0;
  if (!absl::SimpleAtoi(text, &id)) return std::nullopt;
  return id;
}

// The lines of a colon-separated database, without comments, blanks and
// NIS compat entries (which name no local account).
std::vector<absl::string_view> DatabaseLines(absl::string_view text) {
  std::vector<absl::string_view> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') {
      continue;
    }
    lines.push_back(line);
  }
  return lines;
}

bool IsAdminGroup(absl::string_view name) {
  return name == "sudo" || name == "wheel" || name == "admin";
}

class UsersCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    auto passwd_text = ctx.system->ReadFile("/etc/passwd");
    if (!passwd_text.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot read /etc/passwd: ",
                               passwd_text.status().message()));
    }
    std::vector<PasswdEntry> passwd = ParsePasswd(*passwd_text);
    if (passwd.empty()) {
      // Every system has root; an empty parse means a damaged file, not a
      // machine without accounts.
      return facts::TableBuilder::Unknown(
          kTable, "/etc/passwd holds no parseable account");
    }
    // Admin rights come from group membership; without /etc/group we could
    // neither say who is admin nor find admins whose shell is nologin.
    auto group_text = ctx.system->ReadFile("/etc/group");
    if (!group_text.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot read /etc/group: ",
                               group_text.status().message()));
    }
    std::vector<GroupEntry> groups = ParseGroup(*group_text);
    // /etc/shadow is root-only: an agent without root still reports the
    // accounts, with the password columns NULL.
    auto shadow_text = ctx.system->ReadFile("/etc/shadow");
    std::map<std::string, PasswordState> shadow;
    if (shadow_text.ok()) shadow = ParseShadow(*shadow_text);
    return UsersTable(
        BuildUserRows(passwd, groups, shadow_text.ok() ? &shadow : nullptr));
  }
};

}  // namespace

std::vector<PasswdEntry> ParsePasswd(absl::string_view text) {
  std::vector<PasswdEntry> entries;
  std::set<std::string> seen;
  for (absl::string_view line : DatabaseLines(text)) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ':');
    if (f.size() != 7 || f[0].empty()) continue;
    std::optional<int64_t> uid = ParseId(f[2]);
    std::optional<int64_t> gid = ParseId(f[3]);
    if (!uid || !gid) continue;
    if (!seen.insert(std::string(f[0])).second) continue;
    PasswdEntry e;
    e.name = std::string(f[0]);
    e.password = std::string(f[1]);
    e.uid = *uid;
    e.gid = *gid;
    e.shell = std::string(f[6]);
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<GroupEntry> ParseGroup(absl::string_view text) {
  std::vector<GroupEntry> groups;
  for (absl::string_view line : DatabaseLines(text)) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ':');
    if (f.size() != 4 || f[0].empty()) continue;
    std::optional<int64_t> gid = ParseId(f[2]);
    if (!gid) continue;
    GroupEntry g;
    g.name = std::string(f[0]);
    g.gid = *gid;
    for (absl::string_view m : absl::StrSplit(f[3], ',', absl::SkipEmpty())) {
      g.members.emplace_back(absl::StripAsciiWhitespace(m));
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

std::map<std::string, PasswordState> ParseShadow(absl::string_view text) {
  std::map<std::string, PasswordState> out;
  for (absl::string_view line : DatabaseLines(text)) {
    // name:hash:lastchg:min:max:warn:inactive:expire:reserved
    std::vector<absl::string_view> f = absl::StrSplit(line, ':');
    if (f.size() != 9 || f[0].empty()) continue;
    out.emplace(std::string(f[0]), PasswordStateOf(f[1]));
  }
  return out;
}

PasswordState PasswordStateOf(absl::string_view hash_field) {
  PasswordState s;
  s.has_password = !hash_field.empty();
  s.locked =
      !hash_field.empty() && (hash_field[0] == '!' || hash_field[0] == '*');
  return s;
}

bool IsLoginShell(absl::string_view shell) {
  absl::string_view base = shell;
  size_t slash = base.rfind('/');
  if (slash != absl::string_view::npos) base = base.substr(slash + 1);
  return base != "nologin" && base != "false";
}

std::vector<UserRow> BuildUserRows(
    const std::vector<PasswdEntry>& passwd,
    const std::vector<GroupEntry>& groups,
    const std::map<std::string, PasswordState>* shadow) {
  std::set<std::string> admin_members;
  std::set<int64_t> admin_gids;
  for (const GroupEntry& g : groups) {
    if (!IsAdminGroup(g.name)) continue;
    admin_gids.insert(g.gid);
    admin_members.insert(g.members.begin(), g.members.end());
  }
  std::vector<UserRow> rows;
  for (const PasswdEntry& p : passwd) {
    // A primary group counts as membership just like a member list entry.
    bool admin = p.uid == 0 || admin_members.count(p.name) > 0 ||
                 admin_gids.count(p.gid) > 0;
    if (!IsLoginShell(p.shell) && !admin) continue;
    UserRow row;
    row.username = p.name;
    row.uid = p.uid;
    row.is_admin = admin;
    row.is_system = p.uid < 1000 || p.uid == 65534;
    if (!p.shell.empty()) row.shell = p.shell;
    if (p.password != "x") {
      // The hash (or its absence) lives in /etc/passwd itself; shadow is
      // not consulted for such accounts.
      PasswordState s = PasswordStateOf(p.password);
      row.has_password = s.has_password;
      row.locked = s.locked;
    } else if (shadow != nullptr) {
      auto it = shadow->find(p.name);
      if (it != shadow->end()) {
        row.has_password = it->second.has_password;
        row.locked = it->second.locked;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

v1::FactTable UsersTable(const std::vector<UserRow>& rows) {
  facts::TableBuilder b(kTable);
  for (const UserRow& r : rows) {
    b.Row()
        .Text("username", r.username)
        .Integer("uid", r.uid)
        .Bool("is_admin", r.is_admin)
        .Bool("has_password", r.has_password)
        .Bool("locked", r.locked)
        .Bool("is_system", r.is_system)
        .Text("shell", r.shell);
  }
  return b.Build();
}

std::unique_ptr<Collector> NewUsersCollector() {
  return std::make_unique<UsersCollector>();
}

}  // namespace trellis::agent::linux_facts
