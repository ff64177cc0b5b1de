#include "agent/cli/status_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/util/files.h"

namespace trellis::agent {
namespace {

constexpr char kNeedsPermission[] = "needs permission (run as root or ask IT)";

// Lets others reach files in `dir` by name (never list it): x for group
// and others, nothing more. The private files stay 0600.
absl::Status OpenForLookup(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot stat ", dir, ": ", std::strerror(errno)));
  }
  const mode_t mode = st.st_mode & 07777;
  if ((mode & 0011) == 0011) return absl::OkStatus();
  if (::chmod(dir.c_str(), mode | 0011) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot chmod ", dir, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string StateDirForReading(const std::string& flag, bool is_root,
                               const std::string& user_dir) {
  if (!flag.empty()) return flag;
  if (is_root || FileExists(AgentState(user_dir).RecordPath())) {
    return user_dir;
  }
  // DefaultStateDir() as root.
  return "/var/lib/trellis-agent";
}

std::string StatusFilePath(const AgentState& state) {
  return state.dir() + "/status.json";
}

absl::Status WriteStatusFile(const AgentState& state, absl::Time now) {
  auto status = BuildEmployeeStatus(state, RealFileReader());
  if (absl::IsNotFound(status.status())) {
    // Not enrolled (any more): nothing to show; readers say so from the
    // missing agent.state, but leave no stale copy behind either.
    ::unlink(StatusFilePath(state).c_str());
    return absl::OkStatus();
  }
  if (!status.ok()) return status.status();
  status->written_at = now;
  absl::Status s =
      WriteFileAtomic(StatusFilePath(state), EmployeeStatusJson(*status), 0644);
  if (s.ok()) s = OpenForLookup(state.dir());
  return s;
}

absl::Status ExplainReadError(const absl::Status& error,
                              const std::string& path) {
  if (!absl::IsPermissionDenied(error)) return error;
  return absl::PermissionDeniedError(
      absl::StrCat("cannot read ", path, ": ", kNeedsPermission));
}

DeviceView LoadDeviceView(const AgentState& state, const FileReader& read) {
  DeviceView view;
  auto record_text = read(state.RecordPath());
  if (absl::IsNotFound(record_text.status())) {
    view.source = DeviceView::Source::kNotEnrolled;
    view.problem =
        absl::StrCat("this device is not enrolled (no ", state.RecordPath(),
                     "); run: trellis-agent enroll --token TOKEN");
    return view;
  }
  if (record_text.ok()) {
    auto record = ParseRecord(*record_text);
    auto status = BuildEmployeeStatus(state, read);
    if (!record.ok() || !status.ok()) {
      view.source = DeviceView::Source::kUnreadable;
      view.problem = std::string(
          (!record.ok() ? record.status() : status.status()).message());
      return view;
    }
    view.source = DeviceView::Source::kPrivateState;
    view.record = *std::move(record);
    view.status = *std::move(status);
    return view;
  }
  if (!absl::IsPermissionDenied(record_text.status())) {
    view.source = DeviceView::Source::kUnreadable;
    view.problem = std::string(record_text.status().message());
    return view;
  }
  // Not ours to read: the status file says what the employee may see.
  const std::string path = StatusFilePath(state);
  auto text = read(path);
  if (!text.ok()) {
    view.source = DeviceView::Source::kNeedsPermission;
    view.problem = absl::StrCat(
        "cannot read ", state.dir(), " as this user: ", kNeedsPermission,
        absl::IsNotFound(text.status())
            ? absl::StrCat("; the agent writes ", path,
                           " for everyone at its next check-in")
            : "");
    return view;
  }
  auto status = ParseEmployeeStatusJson(*text);
  if (!status.ok()) {
    view.source = DeviceView::Source::kUnreadable;
    view.problem = absl::StrCat(path, ": ", status.status().message());
    return view;
  }
  view.source = DeviceView::Source::kStatusFile;
  view.status = *std::move(status);
  return view;
}

}  // namespace trellis::agent
