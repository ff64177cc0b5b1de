// Tells the employee when the device's compliance state or VPN access
// changes, once per change: a desktop notification in each logged-in
// graphical session where one can be shown, otherwise the system log
// (logger). The message names what fails, how to fix it and the deadline,
// or why VPN access changed.
//
// The agent runs as root from a service, and commands run with a clean
// environment, so notify-send is run as each session's user (runuser) with
// that user's session bus (/run/user/<uid>/bus) and display.
#ifndef TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
#define TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/exec/command_runner.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {

// The text for a state; empty when there is nothing to tell (unevaluated).
std::string ComplianceMessage(const v1::CheckInResponse& response);

// Where to look for sessions, and who the agent is.
struct NotifyEnv {
  std::string run_root = "/run";  // sessions' buses: <run_root>/user/<uid>/bus
  uint32_t agent_uid = 0;         // root may notify anyone; others only self

  static NotifyEnv ForThisProcess();
};

// A logged-in graphical session that can show a notification.
struct DesktopSession {
  std::string user;
  uint32_t uid = 0;
  std::string display;          // X11 DISPLAY (":0"); may be empty
  std::string wayland_display;  // "wayland-0"; may be empty
};

// One per user with a graphical session (x11, wayland, mir) and a session
// bus, from `loginctl`; without it, from the buses under <run_root>/user.
std::vector<DesktopSession> FindDesktopSessions(CommandRunner& runner,
                                                const NotifyEnv& env);

// The command that shows `message` in `session`.
std::vector<std::string> NotifySendCommand(const DesktopSession& session,
                                           const NotifyEnv& env,
                                           const std::string& message);

// Where the message went: "desktop" (at least one session showed it),
// "syslog" or "log". Text from the server is made terminal-safe first.
absl::StatusOr<std::string> Notify(
    CommandRunner& runner, const std::string& message,
    const NotifyEnv& env = NotifyEnv::ForThisProcess());

// Notifies when `response`'s state differs from `previous_state` (a
// v1::ComplianceState number). Returns true when it notified.
bool NotifyOnChange(CommandRunner& runner, int previous_state,
                    const v1::CheckInResponse& response,
                    const NotifyEnv& env = NotifyEnv::ForThisProcess());

// The text for a change of VPN access from `previous_access` (a
// v1::VpnAccess number) to `assignment`'s; empty when there is nothing to
// tell: no change, or the first assignment this device has heard of.
std::string VpnAccessMessage(int previous_access,
                             const v1::VpnAssignment& assignment);

// One notification for everything that changed with this check-in
// (compliance state, VPN access). Returns true when it notified.
bool NotifyCheckInChanges(CommandRunner& runner, int previous_state,
                          int previous_access,
                          const v1::CheckInResponse& response,
                          const NotifyEnv& env = NotifyEnv::ForThisProcess());

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FEEDBACK_EMPLOYEE_NOTIFIER_H_
