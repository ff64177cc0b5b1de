// screen_lock on Linux, for GNOME: org.gnome.desktop.screensaver
// lock-enabled and lock-delay, org.gnome.desktop.session idle-delay and
// org.gnome.desktop.lockdown disable-lock-screen, read with gsettings as the
// user who owns the GNOME session (a gnome-shell process with a uid of 1000
// or more; the login screen's runs as a system user).
//
// Why not simply run gsettings: the agent is a system service, so it has
// no session of its own, and gsettings run as root reads root's settings,
// or the schema defaults ("true", "uint32 300") - which would be reported
// as the user's answer although it is nobody's. So the collector finds the
// session first (none -> unknown "no graphical session"), and when running
// as root switches to the session user with setpriv (util-linux) for the
// read. dconf reads the user's database file directly; no D-Bus is needed.
// Other desktops (KDE, Xfce...) are reported unknown, naming the desktop.
#ifndef TRELLIS_AGENT_FACTS_LINUX_SCREEN_LOCK_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_SCREEN_LOCK_COLLECTOR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// `gsettings get` output for a boolean: "true\n" / "false\n".
absl::StatusOr<bool> ParseGsettingsBool(absl::string_view out);

// `gsettings get` output for a uint32: "uint32 300\n" (GVariant text with
// its type annotation), or a bare "300".
absl::StatusOr<int64_t> ParseGsettingsUint32(absl::string_view out);

// gsettings can exit 0 yet print only defaults: when the dconf backend is
// missing (GLib's "Using the 'memory' GSettings backend") or cannot work
// ("dconf-CRITICAL"). Returns why the answer cannot be trusted, or nullopt.
std::optional<std::string> GsettingsStderrProblem(
    absl::string_view stderr_text);

struct ProcessIds {
  int64_t uid = -1;  // real uid
  int64_t gid = -1;  // real gid
};

// The real uid and gid from /proc/<pid>/status ("Uid:\t1000\t1000\t...").
absl::StatusOr<ProcessIds> ParseProcStatusIds(absl::string_view status);

struct GnomeLockSettings {
  bool lock_enabled = false;
  int64_t idle_delay_seconds = 0;
  int64_t lock_delay_seconds = 0;
  bool lock_screen_disabled = false;  // org.gnome.desktop.lockdown
};

// The row: enabled only when GNOME will actually lock by itself - locking
// on, not disabled by lockdown, and an idle delay (0 = never idle).
v1::FactTable ScreenLockTable(const GnomeLockSettings& settings);

// Several GNOME sessions (fast user switching): the weakest of them, since
// the device is only as locked as its least locked session.
GnomeLockSettings WeakestOf(const GnomeLockSettings& a,
                            const GnomeLockSettings& b);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_SCREEN_LOCK_COLLECTOR_H_
