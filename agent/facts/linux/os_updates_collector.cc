#include "agent/facts/linux/os_updates_collector.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "os_updates";

// "2026-05-09  07:28:50" -> "2026-05-09 07:28:50": apt pads with two
// spaces, and absl's parser wants exactly what the format says.
std::string CollapseSpaces(absl::string_view s) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(s, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  return absl::StrJoin(parts, " ");
}

std::optional<absl::Time> ParseLocal(absl::string_view text, const char* format,
                                     absl::TimeZone tz) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(format, CollapseSpaces(text), tz, &t, &err)) {
    return std::nullopt;
  }
  return t;
}

std::string CommandFailure(const std::string& what,
                           const absl::StatusOr<CommandResult>& result) {
  if (!result.ok()) {
    if (absl::IsNotFound(result.status())) {
      return absl::StrCat(what, " not installed");
    }
    if (absl::IsDeadlineExceeded(result.status())) {
      return absl::StrCat(what, " timed out");
    }
    return absl::StrCat(what, " failed: ", result.status().message());
  }
  absl::string_view detail = absl::StripAsciiWhitespace(result->stderr_text);
  return absl::StrCat(what, " exited with status ", result->exit_code, ": ",
                      detail.substr(0, 200));
}

bool Truthy(absl::string_view v) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v));
  return lower == "yes" || lower == "true" || lower == "1" || lower == "on";
}

class OsUpdatesCollector : public Collector {
 public:
  explicit OsUpdatesCollector(absl::TimeZone tz) : tz_(tz) {}
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<CommandResult> apt = ctx.runner->Run(
        {"apt-get", "-s", "-o", "Debug::NoLocking=1", "dist-upgrade"},
        ctx.command_timeout);
    if (!apt.ok() && absl::IsNotFound(apt.status())) {
      absl::StatusOr<CommandResult> dnf = ctx.runner->Run(
          {"dnf", "-q", "-C", "check-update"}, ctx.command_timeout);
      if (!dnf.ok() && absl::IsNotFound(dnf.status())) {
        return facts::TableBuilder::Unknown(
            kTable, "apt-get not installed and dnf not installed");
      }
      return CollectDnf(ctx, dnf);
    }
    return CollectApt(ctx, apt);
  }

 private:
  v1::FactTable CollectApt(CollectContext& ctx,
                           const absl::StatusOr<CommandResult>& sim) {
    if (!sim.ok() || sim->exit_code != 0) {
      return facts::TableBuilder::Unknown(kTable,
                                          CommandFailure("apt-get -s", sim));
    }
    absl::StatusOr<PendingUpdates> pending =
        ParseAptSimulation(sim->stdout_text);
    if (!pending.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("apt-get -s output unparseable: ",
                               pending.status().message()));
    }
    OsUpdates out;
    out.manager = "apt";
    out.pending = pending->pending;
    out.pending_security = pending->pending_security;
    // history.log is rotated monthly; with delaycompress the previous month
    // is still plain text in history.log.1.
    for (const char* log :
         {"/var/log/apt/history.log", "/var/log/apt/history.log.1"}) {
      absl::StatusOr<std::string> text = ctx.system->ReadFile(log);
      if (!text.ok()) continue;
      if (std::optional<absl::Time> t = LatestAptUpgrade(*text, tz_)) {
        out.days_since_last_update = DaysSince(*t, ctx.clock->Now());
        break;
      }
    }
    absl::StatusOr<CommandResult> config =
        ctx.runner->Run({"apt-config", "dump"}, ctx.command_timeout);
    if (config.ok() && config->exit_code == 0) {
      absl::StatusOr<std::string> program =
          ctx.system->ReadFile("/usr/bin/unattended-upgrade");
      if (!AptUnattendedUpgradeConfigured(config->stdout_text)) {
        out.automatic_updates = false;
      } else if (program.ok()) {
        out.automatic_updates = true;
      } else if (absl::IsNotFound(program.status())) {
        // Configured, but the package that acts on it is gone.
        out.automatic_updates = false;
      }
    }
    return OsUpdatesTable(out);
  }

  v1::FactTable CollectDnf(CollectContext& ctx,
                           const absl::StatusOr<CommandResult>& check) {
    if (!check.ok()) {
      return facts::TableBuilder::Unknown(kTable, CommandFailure("dnf", check));
    }
    absl::StatusOr<int64_t> pending =
        ParseDnfCheckUpdate(check->stdout_text, check->exit_code);
    if (!pending.ok()) {
      return facts::TableBuilder::Unknown(
          kTable,
          absl::StrCat(
              "dnf check-update: ", pending.status().message(), " ",
              absl::StripAsciiWhitespace(check->stderr_text).substr(0, 200)));
    }
    OsUpdates out;
    out.manager = "dnf";
    out.pending = *pending;
    absl::StatusOr<CommandResult> security =
        ctx.runner->Run({"dnf", "-q", "-C", "updateinfo", "list", "--security"},
                        ctx.command_timeout);
    if (security.ok() && security->exit_code == 0) {
      out.pending_security = ParseDnfSecurityList(security->stdout_text);
    }
    absl::StatusOr<CommandResult> history = ctx.runner->Run(
        {"dnf", "-q", "-C", "history", "list"}, ctx.command_timeout);
    if (history.ok() && history->exit_code == 0) {
      if (std::optional<absl::Time> t =
              LatestDnfUpgrade(history->stdout_text, tz_)) {
        out.days_since_last_update = DaysSince(*t, ctx.clock->Now());
      }
    }
    absl::StatusOr<std::vector<std::string>> timers =
        ctx.system->ListDirectory("/etc/systemd/system/timers.target.wants");
    std::vector<std::string> enabled =
        timers.ok() ? *timers : std::vector<std::string>{};
    auto has = [&](const char* timer) {
      return std::find(enabled.begin(), enabled.end(), timer) != enabled.end();
    };
    if (has("dnf-automatic-install.timer")) {
      out.automatic_updates = true;
    } else if (has("dnf-automatic.timer")) {
      absl::StatusOr<std::string> conf =
          ctx.system->ReadFile("/etc/dnf/automatic.conf");
      if (conf.ok()) out.automatic_updates = DnfAutomaticAppliesUpdates(*conf);
    } else if (timers.ok() || absl::IsNotFound(timers.status())) {
      out.automatic_updates = false;
    }
    return OsUpdatesTable(out);
  }

  absl::TimeZone tz_;
};

}  // namespace

absl::StatusOr<PendingUpdates> ParseAptSimulation(absl::string_view text) {
  PendingUpdates out;
  std::optional<int64_t> summary;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, "Inst ")) {
      // "Inst name [current] (candidate origin...)": a package installed
      // for the first time has no [current] and is no update of its own.
      std::vector<absl::string_view> t =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (t.size() < 2 || !absl::StartsWith(t[1], "[")) continue;
      ++out.pending;
      size_t origin = line.find('(');
      if (origin != absl::string_view::npos &&
          absl::StrContains(absl::AsciiStrToLower(line.substr(origin)),
                            "-security")) {
        ++out.pending_security;
      }
      continue;
    }
    // "124 upgraded, 0 newly installed, 0 to remove and 0 not upgraded."
    size_t pos = line.find(" upgraded, ");
    if (pos != absl::string_view::npos &&
        absl::StrContains(line, " newly installed")) {
      int64_t n = 0;
      if (absl::SimpleAtoi(line.substr(0, pos), &n)) summary = n;
    }
  }
  if (!summary) {
    return absl::InvalidArgumentError(
        "no 'N upgraded, M newly installed' summary");
  }
  if (*summary != out.pending) {
    return absl::InvalidArgumentError(
        absl::StrCat("summary says ", *summary, " upgraded but ", out.pending,
                     " Inst lines upgrade a package"));
  }
  return out;
}

std::optional<absl::Time> LatestAptUpgrade(absl::string_view history_log,
                                           absl::TimeZone tz) {
  std::optional<absl::Time> latest;
  bool upgrade = false, error = false;
  std::optional<absl::Time> end;
  auto finish = [&] {
    if (upgrade && !error && end && (!latest || *end > *latest)) latest = end;
    upgrade = error = false;
    end.reset();
  };
  for (absl::string_view line : absl::StrSplit(history_log, '\n')) {
    if (absl::StripAsciiWhitespace(line).empty()) {
      finish();
    } else if (absl::StartsWith(line, "Start-Date:")) {
      finish();  // a missing blank line still starts a new entry
    } else if (absl::StartsWith(line, "Upgrade:")) {
      upgrade = true;
    } else if (absl::StartsWith(line, "Error:")) {
      error = true;
    } else if (absl::ConsumePrefix(&line, "End-Date:")) {
      end = ParseLocal(line, "%Y-%m-%d %H:%M:%S", tz);
    }
  }
  finish();
  return latest;
}

bool AptUnattendedUpgradeConfigured(absl::string_view apt_config_dump) {
  std::optional<std::string> unattended;
  std::optional<std::string> enable;
  for (absl::string_view line : absl::StrSplit(apt_config_dump, '\n')) {
    // 'Key "value";' - apt keys are case-insensitive.
    size_t space = line.find(' ');
    if (space == absl::string_view::npos) continue;
    std::string key = absl::AsciiStrToLower(line.substr(0, space));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(space));
    absl::ConsumeSuffix(&value, ";");
    if (!absl::ConsumePrefix(&value, "\"") ||
        !absl::ConsumeSuffix(&value, "\"")) {
      continue;
    }
    if (key == "apt::periodic::unattended-upgrade") {
      unattended = std::string(value);
    } else if (key == "apt::periodic::enable") {
      enable = std::string(value);
    }
  }
  if (enable && *enable == "0") return false;
  if (!unattended) return false;
  if (absl::AsciiStrToLower(*unattended) == "always") return true;
  int64_t days = 0;
  return absl::SimpleAtoi(*unattended, &days) && days > 0;
}

absl::StatusOr<int64_t> ParseDnfCheckUpdate(absl::string_view text,
                                            int exit_code) {
  if (exit_code != 0 && exit_code != 100) {
    return absl::UnknownError(absl::StrCat("exited with status ", exit_code));
  }
  int64_t count = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    // Obsoleted packages are listed again below this header.
    if (absl::StartsWith(line, "Obsoleting Packages")) break;
    if (absl::StartsWith(line, "Last metadata expiration") ||
        absl::StartsWith(line, "Security:")) {
      continue;
    }
    // A long name pushes version and repo onto an indented next line.
    if (absl::ascii_isspace(line[0])) continue;
    std::vector<absl::string_view> t =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (!t.empty() && absl::StrContains(t[0], '.')) ++count;
  }
  if (exit_code == 100 && count == 0) {
    return absl::InvalidArgumentError(
        "exit 100 (updates available) but no package lines");
  }
  if (exit_code == 0 && count != 0) {
    return absl::InvalidArgumentError("exit 0 (no updates) but package lines");
  }
  return count;
}

int64_t ParseDnfSecurityList(absl::string_view text) {
  std::set<std::string> packages;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<absl::string_view> t =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    // The package is the token ending in an architecture:
    // "openssl-libs-1:3.1.1-4.fc39.x86_64".
    for (size_t i = 1; i < t.size(); ++i) {
      for (const char* arch : {".x86_64", ".noarch", ".aarch64", ".i686",
                               ".ppc64le", ".s390x", ".armv7hl"}) {
        if (absl::EndsWith(t[i], arch)) {
          packages.insert(std::string(t[i]));
          break;
        }
      }
    }
  }
  return static_cast<int64_t>(packages.size());
}

std::optional<absl::Time> LatestDnfUpgrade(absl::string_view history_list,
                                           absl::TimeZone tz) {
  std::optional<absl::Time> latest;
  for (absl::string_view line : absl::StrSplit(history_list, '\n')) {
    std::vector<absl::string_view> f = absl::StrSplit(line, '|');
    if (f.size() < 5) continue;
    bool upgrade = false;
    for (absl::string_view action : absl::StrSplit(f[3], ',')) {
      action = absl::StripAsciiWhitespace(action);
      if (action == "U" || action == "Upgrade" || action == "Update") {
        upgrade = true;
      }
    }
    if (!upgrade) continue;
    std::optional<absl::Time> t =
        ParseLocal(absl::StripAsciiWhitespace(f[2]), "%Y-%m-%d %H:%M", tz);
    if (t && (!latest || *t > *latest)) latest = t;
  }
  return latest;
}

bool DnfAutomaticAppliesUpdates(absl::string_view automatic_conf) {
  bool in_commands = false;
  bool apply = false;
  for (absl::string_view line : absl::StrSplit(automatic_conf, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      in_commands = line == "[commands]";
      continue;
    }
    size_t eq = line.find('=');
    if (!in_commands || eq == absl::string_view::npos) continue;
    if (absl::StripAsciiWhitespace(line.substr(0, eq)) == "apply_updates") {
      apply = Truthy(line.substr(eq + 1));
    }
  }
  return apply;
}

int64_t DaysSince(absl::Time then, absl::Time now) {
  if (then >= now) return 0;
  return absl::ToInt64Hours(now - then) / 24;
}

v1::FactTable OsUpdatesTable(const OsUpdates& u) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Text("manager", u.manager)
      .Integer("pending", u.pending)
      .Integer("pending_security", u.pending_security)
      .Integer("days_since_last_update", u.days_since_last_update)
      .Bool("automatic_updates", u.automatic_updates);
  return b.Build();
}

std::unique_ptr<Collector> NewOsUpdatesCollectorInZone(absl::TimeZone tz) {
  return std::make_unique<OsUpdatesCollector>(tz);
}

std::unique_ptr<Collector> NewOsUpdatesCollector() {
  return NewOsUpdatesCollectorInZone(absl::LocalTimeZone());
}

}  // namespace trellis::agent::linux_facts
