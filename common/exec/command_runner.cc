#include "common/exec/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace trellis {
namespace {

constexpr size_t kMaxStdout = 4 << 20;
constexpr size_t kMaxStderr = 64 << 10;

// Finds `program` in the fixed PATH the child gets.
std::string Resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return ::access(program.c_str(), X_OK) == 0 ? program : "";
  }
  // /system/bin and /system/xbin are where Android keeps getprop and friends.
  for (const char* dir :
       {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
        "/bin", "/system/bin", "/system/xbin"}) {
    std::string path = absl::StrCat(dir, "/", program);
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

void Drain(int fd, std::string* out, size_t cap, bool* open) {
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n > 0) {
    size_t room = out->size() < cap ? cap - out->size() : 0;
    out->append(buf, std::min(room, static_cast<size_t>(n)));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    *open = false;
  }
}

}  // namespace

absl::StatusOr<CommandResult> RealCommandRunner::Run(
    const std::vector<std::string>& argv, absl::Duration timeout) {
  return RunUntil(argv, timeout, nullptr);
}

absl::StatusOr<CommandResult> RealCommandRunner::RunCancellable(
    const std::vector<std::string>& argv, absl::Duration timeout,
    const std::atomic<bool>& cancelled) {
  return RunUntil(argv, timeout, &cancelled);
}

absl::StatusOr<CommandResult> RealCommandRunner::RunUntil(
    const std::vector<std::string>& argv, absl::Duration timeout,
    const std::atomic<bool>* cancelled) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  std::string path = Resolve(argv[0]);
  if (path.empty()) {
    return absl::NotFoundError(absl::StrCat(argv[0], " is not installed"));
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe failed");
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return absl::InternalError("pipe failed");
  }
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  static const char* kEnv[] = {
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:"
      "/system/bin:/system/xbin",
      "LC_ALL=C", "LANG=C", nullptr};
  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::setpgid(0, 0);
    ::execve(path.c_str(), args.data(), const_cast<char**>(kEnv));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult result;
  bool out_open = true, err_open = true;
  absl::Time deadline = absl::Now() + timeout;
  bool timed_out = false;
  bool was_cancelled = false;
  // Without a cancel flag, one poll can wait for the whole deadline.
  const absl::Duration slice =
      cancelled == nullptr ? absl::InfiniteDuration() : absl::Milliseconds(50);
  while (out_open || err_open) {
    if (cancelled != nullptr && cancelled->load()) {
      was_cancelled = true;
      break;
    }
    absl::Duration left = std::min(deadline - absl::Now(), slice);
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int n =
        ::poll(fds, 2, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (n < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      Drain(out_pipe[0], &result.stdout_text, kMaxStdout, &out_open);
    }
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      Drain(err_pipe[0], &result.stderr_text, kMaxStderr, &err_open);
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (timed_out || was_cancelled) ::kill(-pid, SIGKILL);
  int status = 0;
  // The pipes are closed; wait for the exit, killing at the deadline.
  while (true) {
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (absl::Now() > deadline || (cancelled != nullptr && cancelled->load())) {
      ::kill(-pid, SIGKILL);
      if (absl::Now() > deadline) {
        timed_out = true;
      } else {
        was_cancelled = true;
      }
      ::waitpid(pid, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  if (was_cancelled && !timed_out) {
    return absl::CancelledError(absl::StrCat(argv[0], " was cancelled"));
  }
  if (timed_out) {
    return absl::DeadlineExceededError(absl::StrCat(
        argv[0], " did not finish within ", absl::FormatDuration(timeout)));
  }
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

absl::StatusOr<CommandResult> FakeCommandRunner::Run(
    const std::vector<std::string>& argv, absl::Duration timeout) {
  std::string key = absl::StrJoin(argv, " ");
  calls_.push_back(key);
  auto err = errors_.find(key);
  if (err != errors_.end()) return err->second;
  auto it = results_.find(key);
  if (it == results_.end()) {
    return absl::NotFoundError(absl::StrCat(argv[0], " is not installed"));
  }
  return it->second;
}

}  // namespace trellis
