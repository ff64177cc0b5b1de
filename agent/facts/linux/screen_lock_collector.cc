#include "agent/facts/linux/screen_lock_collector.h"

#include <algorithm>
#include <map>
#include <memory>
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

constexpr char kTable[] = "screen_lock";

// Below this uid are system accounts, including the one GDM's login screen
// runs its own gnome-shell as (Debian-gdm, gdm).
constexpr int64_t kFirstUserUid = 1000;
constexpr int64_t kNobodyUid = 65534;

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
}

bool Enabled(const GnomeLockSettings& s) {
  return s.lock_enabled && !s.lock_screen_disabled && s.idle_delay_seconds > 0;
}

// Session processes of desktops whose lock settings this does not read.
const char* OtherDesktop(absl::string_view comm) {
  if (comm == "plasmashell" || comm == "ksmserver") return "KDE Plasma";
  if (comm == "xfce4-session") return "Xfce";
  if (comm == "cinnamon-sessio" || comm == "cinnamon") return "Cinnamon";
  if (comm == "mate-session") return "MATE";
  if (comm == "lxqt-session") return "LXQt";
  return nullptr;
}

class ScreenLockCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    SystemSource& system = *ctx.system;
    absl::StatusOr<std::vector<std::string>> pids =
        system.ListDirectory("/proc");
    if (!pids.ok()) {
      return Unknown(
          absl::StrCat("cannot list /proc: ", pids.status().message()));
    }
    std::map<int64_t, ProcessIds> sessions;  // by uid
    const char* other_desktop = nullptr;
    for (const std::string& pid : *pids) {
      if (!AllDigits(pid)) continue;
      // Processes come and go while we look; a vanished one is skipped.
      absl::StatusOr<std::string> comm =
          system.ReadFile(absl::StrCat("/proc/", pid, "/comm"));
      if (!comm.ok()) continue;
      absl::string_view name = absl::StripAsciiWhitespace(*comm);
      if (name != "gnome-shell") {
        if (const char* other = OtherDesktop(name)) other_desktop = other;
        continue;
      }
      absl::StatusOr<std::string> status =
          system.ReadFile(absl::StrCat("/proc/", pid, "/status"));
      if (!status.ok()) continue;
      absl::StatusOr<ProcessIds> ids = ParseProcStatusIds(*status);
      if (!ids.ok() || ids->uid < kFirstUserUid || ids->uid == kNobodyUid) {
        continue;
      }
      sessions.emplace(ids->uid, *ids);
    }
    if (sessions.empty()) {
      if (other_desktop != nullptr) {
        return Unknown(absl::StrCat("the graphical session is ", other_desktop,
                                    "; only GNOME's screen lock is read"));
      }
      return Unknown("no graphical session (no GNOME session running)");
    }
    absl::StatusOr<std::string> self = system.ReadFile("/proc/self/status");
    absl::StatusOr<ProcessIds> own =
        self.ok() ? ParseProcStatusIds(*self) : self.status();
    if (!own.ok()) {
      return Unknown(absl::StrCat("cannot tell the agent's own uid: ",
                                  own.status().message()));
    }
    std::optional<GnomeLockSettings> weakest;
    for (const auto& [uid, ids] : sessions) {
      absl::StatusOr<GnomeLockSettings> s = ReadSession(ctx, *own, ids);
      if (!s.ok()) return Unknown(s.status().message());
      weakest = weakest ? WeakestOf(*weakest, *s) : *s;
    }
    return ScreenLockTable(*weakest);
  }

 private:
  static v1::FactTable Unknown(absl::string_view reason) {
    return facts::TableBuilder::Unknown(kTable, reason);
  }

  static absl::StatusOr<GnomeLockSettings> ReadSession(CollectContext& ctx,
                                                       const ProcessIds& own,
                                                       const ProcessIds& user) {
    std::vector<std::string> prefix;
    if (own.uid == 0) {
      // Read as the user: their dconf database, their defaults. setpriv
      // changes ids only (no PAM session, no login records).
      prefix = {"setpriv", absl::StrCat("--reuid=", user.uid),
                absl::StrCat("--regid=", user.gid), "--clear-groups", "--"};
    } else if (own.uid != user.uid) {
      return absl::PermissionDeniedError(
          absl::StrCat("the GNOME session belongs to uid ", user.uid,
                       "; the agent runs as "
                       "uid ",
                       own.uid, " and cannot read another user's settings"));
    }
    auto get = [&](const char* schema,
                   const char* key) -> absl::StatusOr<std::string> {
      std::vector<std::string> argv = prefix;
      for (const char* a : {"gsettings", "get", schema, key}) argv.push_back(a);
      absl::StatusOr<CommandResult> r =
          ctx.runner->Run(argv, ctx.command_timeout);
      std::string what = absl::StrCat("gsettings get ", schema, " ", key);
      if (!r.ok()) {
        if (absl::IsNotFound(r.status())) {
          return absl::NotFoundError(
              absl::StrCat(argv[0], " not installed (", what, ")"));
        }
        if (absl::IsDeadlineExceeded(r.status())) {
          return absl::DeadlineExceededError(absl::StrCat(what, " timed out"));
        }
        return absl::UnknownError(
            absl::StrCat(what, " failed: ", r.status().message()));
      }
      if (r->exit_code != 0) {
        return absl::UnknownError(absl::StrCat(
            what, " exited with status ", r->exit_code, ": ",
            absl::StripAsciiWhitespace(r->stderr_text).substr(0, 200)));
      }
      if (std::optional<std::string> problem =
              GsettingsStderrProblem(r->stderr_text)) {
        return absl::UnknownError(absl::StrCat(what, ": ", *problem));
      }
      return r->stdout_text;
    };
    GnomeLockSettings s;
    absl::StatusOr<std::string> out =
        get("org.gnome.desktop.screensaver", "lock-enabled");
    if (!out.ok()) return out.status();
    absl::StatusOr<bool> b = ParseGsettingsBool(*out);
    if (!b.ok()) return b.status();
    s.lock_enabled = *b;

    out = get("org.gnome.desktop.session", "idle-delay");
    if (!out.ok()) return out.status();
    absl::StatusOr<int64_t> n = ParseGsettingsUint32(*out);
    if (!n.ok()) return n.status();
    s.idle_delay_seconds = *n;

    out = get("org.gnome.desktop.screensaver", "lock-delay");
    if (!out.ok()) return out.status();
    n = ParseGsettingsUint32(*out);
    if (!n.ok()) return n.status();
    s.lock_delay_seconds = *n;

    out = get("org.gnome.desktop.lockdown", "disable-lock-screen");
    if (!out.ok()) return out.status();
    b = ParseGsettingsBool(*out);
    if (!b.ok()) return b.status();
    s.lock_screen_disabled = *b;
    return s;
  }
};

}  // namespace

absl::StatusOr<bool> ParseGsettingsBool(absl::string_view out) {
  absl::string_view v = absl::StripAsciiWhitespace(out);
  if (v == "true") return true;
  if (v == "false") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("gsettings gave '", v.substr(0, 40), "', not a boolean"));
}

absl::StatusOr<int64_t> ParseGsettingsUint32(absl::string_view out) {
  absl::string_view v = absl::StripAsciiWhitespace(out);
  absl::ConsumePrefix(&v, "uint32 ");
  uint32_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || v.empty() || v[0] == '-' || v[0] == '+') {
    return absl::InvalidArgumentError(absl::StrCat(
        "gsettings gave '", absl::StripAsciiWhitespace(out).substr(0, 40),
        "', not a uint32"));
  }
  return static_cast<int64_t>(n);
}

std::optional<std::string> GsettingsStderrProblem(
    absl::string_view stderr_text) {
  if (absl::StrContains(stderr_text, "'memory' GSettings backend")) {
    return "no dconf backend; gsettings shows defaults, not settings";
  }
  if (absl::StrContains(stderr_text, "dconf-CRITICAL")) {
    return absl::StrCat("dconf failed (",
                        absl::StripAsciiWhitespace(stderr_text).substr(0, 160),
                        ")");
  }
  return std::nullopt;
}

absl::StatusOr<ProcessIds> ParseProcStatusIds(absl::string_view status) {
  ProcessIds ids;
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    bool is_uid = absl::ConsumePrefix(&line, "Uid:");
    if (!is_uid && !absl::ConsumePrefix(&line, "Gid:")) continue;
    std::vector<absl::string_view> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t value = -1;
    if (f.empty() || !absl::SimpleAtoi(f[0], &value) || value < 0) {
      return absl::InvalidArgumentError("bad Uid/Gid line in status");
    }
    (is_uid ? ids.uid : ids.gid) = value;
  }
  if (ids.uid < 0 || ids.gid < 0) {
    return absl::InvalidArgumentError("no Uid/Gid lines in status");
  }
  return ids;
}

GnomeLockSettings WeakestOf(const GnomeLockSettings& a,
                            const GnomeLockSettings& b) {
  if (!Enabled(a)) return a;
  if (!Enabled(b)) return b;
  GnomeLockSettings out = a;
  out.idle_delay_seconds = std::max(a.idle_delay_seconds, b.idle_delay_seconds);
  out.lock_delay_seconds = std::max(a.lock_delay_seconds, b.lock_delay_seconds);
  return out;
}

v1::FactTable ScreenLockTable(const GnomeLockSettings& s) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Bool("enabled", Enabled(s))
      .Integer("idle_delay_seconds", s.idle_delay_seconds)
      .Integer("lock_delay_seconds", s.lock_delay_seconds)
      .Text("source", "gnome");
  return b.Build();
}

std::unique_ptr<Collector> NewScreenLockCollector() {
  return std::make_unique<ScreenLockCollector>();
}

}  // namespace trellis::agent::linux_facts
