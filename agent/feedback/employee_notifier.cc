#include "agent/feedback/employee_notifier.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "common/util/proto_time.h"
#include "common/util/terminal_text.h"
#include "common/util/time_format.h"

namespace trellis::agent {
namespace {

// The first failing enforced check that is not excepted, as "title: fix".
std::string FirstProblem(const v1::Verdict& verdict) {
  for (const v1::CheckResult& r : verdict.results()) {
    bool failing =
        r.state() == v1::CHECK_STATE_FAIL || r.state() == v1::CHECK_STATE_ERROR;
    if (!failing || r.has_excepted_until()) continue;
    if (r.enforcement() != v1::ENFORCEMENT_RESTRICT &&
        r.enforcement() != v1::ENFORCEMENT_QUARANTINE) {
      continue;
    }
    std::string fix = r.remediation().empty() ? std::string("ask IT for help")
                                              : r.remediation();
    return absl::StrCat(r.title(), ". To fix: ", fix);
  }
  return "";
}

}  // namespace

std::string ComplianceMessage(const v1::CheckInResponse& response) {
  std::string problem = FirstProblem(response.verdict());
  switch (response.compliance_state()) {
    case v1::COMPLIANCE_STATE_COMPLIANT:
      return "This device meets policy; VPN access is available.";
    case v1::COMPLIANCE_STATE_GRACE:
      return absl::StrCat("This device does not meet policy: ", problem,
                          ". Access is kept until ",
                          Rfc3339(FromProtoTime(response.grace_deadline())),
                          "; run 'trellis-agent check' for details.");
    case v1::COMPLIANCE_STATE_NONCOMPLIANT:
      return absl::StrCat("This device has lost VPN access: ", problem,
                          ". Run 'trellis-agent check' for details.");
    default:
      return "";
  }
}

NotifyEnv NotifyEnv::ForThisProcess() {
  NotifyEnv env;
  env.agent_uid = ::geteuid();
  return env;
}

namespace {

constexpr absl::Duration kCommandTimeout = absl::Seconds(5);

std::string BusPath(const NotifyEnv& env, uint32_t uid) {
  return absl::StrCat(env.run_root, "/user/", uid, "/bus");
}

// The first Wayland socket in the user's runtime directory.
std::string WaylandSocket(const NotifyEnv& env, uint32_t uid) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(
           absl::StrCat(env.run_root, "/user/", uid), ec)) {
    std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "wayland-") && !absl::EndsWith(name, ".lock")) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names.empty() ? "" : names.front();
}

// "Key=value" lines of `loginctl show-session`.
std::map<std::string, std::string> Properties(const std::string& text) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t eq = line.find('=');
    if (eq == absl::string_view::npos) continue;
    out[std::string(line.substr(0, eq))] =
        std::string(absl::StripAsciiWhitespace(line.substr(eq + 1)));
  }
  return out;
}

std::optional<std::vector<DesktopSession>> FromLoginctl(CommandRunner& runner,
                                                        const NotifyEnv& env) {
  auto list =
      runner.Run({"loginctl", "list-sessions", "--no-legend"}, kCommandTimeout);
  if (!list.ok() || list->exit_code != 0) return std::nullopt;
  std::vector<DesktopSession> out;
  std::set<uint32_t> seen;
  for (absl::string_view line : absl::StrSplit(list->stdout_text, '\n')) {
    // SESSION UID USER [SEAT TTY ...]
    std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    uint32_t uid;
    if (words.size() < 3 || !absl::SimpleAtoi(words[1], &uid) ||
        seen.count(uid) > 0) {
      continue;
    }
    auto show = runner.Run({"loginctl", "show-session", std::string(words[0]),
                            "-p", "Type", "-p", "Display", "-p", "State"},
                           kCommandTimeout);
    if (!show.ok() || show->exit_code != 0) continue;
    auto props = Properties(show->stdout_text);
    const std::string& type = props["Type"];
    if (type != "x11" && type != "wayland" && type != "mir") continue;
    if (props["State"] == "closing") continue;
    if (!FileExists(BusPath(env, uid))) continue;
    DesktopSession session;
    session.user = std::string(words[2]);
    session.uid = uid;
    session.display = props["Display"];
    if (type == "wayland") {
      session.wayland_display = WaylandSocket(env, uid);
      if (session.wayland_display.empty())
        session.wayland_display = "wayland-0";
    }
    seen.insert(uid);
    out.push_back(std::move(session));
  }
  return out;
}

// Without logind: every user with a session bus under <run_root>/user.
std::vector<DesktopSession> FromRuntimeDirs(const NotifyEnv& env) {
  std::vector<DesktopSession> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(
           absl::StrCat(env.run_root, "/user"), ec)) {
    uint32_t uid;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &uid) ||
        !FileExists(BusPath(env, uid))) {
      continue;
    }
    struct passwd* pw = ::getpwuid(uid);
    if (pw == nullptr) continue;
    DesktopSession session;
    session.user = pw->pw_name;
    session.uid = uid;
    session.wayland_display = WaylandSocket(env, uid);
    out.push_back(std::move(session));
  }
  std::sort(out.begin(), out.end(),
            [](const DesktopSession& a, const DesktopSession& b) {
              return a.uid < b.uid;
            });
  return out;
}

}  // namespace

std::vector<DesktopSession> FindDesktopSessions(CommandRunner& runner,
                                                const NotifyEnv& env) {
  std::vector<DesktopSession> sessions;
  if (auto from_logind = FromLoginctl(runner, env)) {
    sessions = *std::move(from_logind);
  } else {
    sessions = FromRuntimeDirs(env);
  }
  // Only root may speak on another user's bus.
  if (env.agent_uid != 0) {
    sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                  [&](const DesktopSession& s) {
                                    return s.uid != env.agent_uid;
                                  }),
                   sessions.end());
  }
  return sessions;
}

std::vector<std::string> NotifySendCommand(const DesktopSession& session,
                                           const NotifyEnv& env,
                                           const std::string& message) {
  std::vector<std::string> argv;
  if (env.agent_uid == 0) {
    argv = {"runuser", "-u", session.user, "--"};
  }
  argv.push_back("env");
  argv.push_back(absl::StrCat("DBUS_SESSION_BUS_ADDRESS=unix:path=",
                              BusPath(env, session.uid)));
  argv.push_back(
      absl::StrCat("XDG_RUNTIME_DIR=", env.run_root, "/user/", session.uid));
  if (!session.display.empty()) {
    argv.push_back(absl::StrCat("DISPLAY=", session.display));
  }
  if (!session.wayland_display.empty()) {
    argv.push_back(absl::StrCat("WAYLAND_DISPLAY=", session.wayland_display));
  }
  for (const char* word :
       {"notify-send", "--app-name=Trellis", "Trellis device check"}) {
    argv.push_back(word);
  }
  argv.push_back(message);
  return argv;
}

absl::StatusOr<std::string> Notify(CommandRunner& runner,
                                   const std::string& message,
                                   const NotifyEnv& env) {
  // Titles, fixes and reasons come from the server.
  const std::string safe = TerminalSafe(message);
  bool shown = false;
  for (const DesktopSession& session : FindDesktopSessions(runner, env)) {
    auto desktop =
        runner.Run(NotifySendCommand(session, env, safe), kCommandTimeout);
    if (desktop.ok() && desktop->exit_code == 0) shown = true;
  }
  if (shown) return std::string("desktop");
  auto syslog =
      runner.Run({"logger", "-t", "trellis-agent", safe}, kCommandTimeout);
  if (syslog.ok() && syslog->exit_code == 0) return std::string("syslog");
  LogWarning("employee notice: ", safe);
  return std::string("log");
}

std::string VpnAccessMessage(int previous_access,
                             const v1::VpnAssignment& assignment) {
  const int access = assignment.access();
  // The first assignment is the baseline; access 0 means "not known".
  if (previous_access == v1::VPN_ACCESS_UNSPECIFIED ||
      access == v1::VPN_ACCESS_UNSPECIFIED || access == previous_access) {
    return "";
  }
  std::string why = assignment.reason().empty()
                        ? std::string()
                        : absl::StrCat(": ", assignment.reason());
  switch (access) {
    case v1::VPN_ACCESS_NONE:
      return absl::StrCat("This device has lost VPN access", why, ".");
    case v1::VPN_ACCESS_QUARANTINE:
      return absl::StrCat(
          "VPN access is limited to the services that help fix this device",
          why, ".");
    case v1::VPN_ACCESS_FULL:
      return absl::StrCat("VPN access is restored", why, ".");
    default:
      return "";
  }
}

bool NotifyCheckInChanges(CommandRunner& runner, int previous_state,
                          int previous_access,
                          const v1::CheckInResponse& response,
                          const NotifyEnv& env) {
  std::vector<std::string> parts;
  if (response.compliance_state() != previous_state) {
    std::string compliance = ComplianceMessage(response);
    if (!compliance.empty()) parts.push_back(std::move(compliance));
  }
  if (response.has_vpn()) {
    std::string vpn = VpnAccessMessage(previous_access, response.vpn());
    if (!vpn.empty()) parts.push_back(std::move(vpn));
  }
  if (parts.empty()) return false;
  return Notify(runner, absl::StrJoin(parts, " "), env).ok();
}

bool NotifyOnChange(CommandRunner& runner, int previous_state,
                    const v1::CheckInResponse& response, const NotifyEnv& env) {
  if (response.compliance_state() == previous_state) return false;
  std::string message = ComplianceMessage(response);
  if (message.empty()) return false;
  auto where = Notify(runner, message, env);
  return where.ok();
}

}  // namespace trellis::agent
