#include "agent/cli/status_file.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "agent/cli/status_report.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/cli/cli_test_util.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class StatusFileTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  AgentState state_{dir_.path() + "/state"};
};

TEST_F(StatusFileTest, HoldsOnlyWhatTheEmployeeMaySeeAndReadsBack) {
  cli_testing::SaveDevice(state_);
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());

  EXPECT_EQ(*FileMode(StatusFilePath(state_)), 0644);
  // Reachable by name, not listable, by others.
  EXPECT_EQ(*FileMode(state_.dir()), 0711);
  std::string text = *ReadFile(StatusFilePath(state_));
  EXPECT_THAT(text, Not(HasSubstr("secret")));
  EXPECT_THAT(text, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(text, Not(HasSubstr("next_sequence")));

  auto status = ParseEmployeeStatusJson(text);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->device_id, "dabcdef");
  EXPECT_EQ(status->server, "trellis.example:8443");
  EXPECT_EQ(status->ownership, "corporate");
  EXPECT_EQ(status->compliance_state, "grace");
  EXPECT_EQ(status->grace_deadline, cli_testing::Deadline());
  EXPECT_EQ(status->last_checkin_at, absl::FromUnixSeconds(1789999000));
  EXPECT_EQ(status->written_at, cli_testing::Now());
  ASSERT_EQ(status->failing.size(), 2u);
  EXPECT_EQ(status->failing[0].title, "Disk is encrypted");
  EXPECT_EQ(status->failing[0].remediation, "Turn on FileVault");
  ASSERT_EQ(status->exceptions.size(), 1u);
  EXPECT_EQ(status->exceptions[0].excepted_until, cli_testing::ExceptionEnd());
  EXPECT_EQ(status->exceptions[0].exception_reason, "vendor laptop");
  EXPECT_TRUE(status->vpn.assigned);
  EXPECT_EQ(status->vpn.access, "full");
}

TEST_F(StatusFileTest, ABrokenStatusFileIsNamedNotTakenAsNotEnrolled) {
  cli_testing::SaveDevice(state_);
  ASSERT_TRUE(WriteFileAtomic(StatusFilePath(state_),
                              "{\"format\":1,"
                              "\"device_id\":7}")
                  .ok());
  DeviceView view =
      LoadDeviceView(state_, cli_testing::UserReader({StatusFilePath(state_)}));
  EXPECT_EQ(view.source, DeviceView::Source::kUnreadable);
  EXPECT_THAT(view.problem, HasSubstr("device_id is not a string"));
  EXPECT_EQ(StatusExitCode(view), 4);
}

TEST_F(StatusFileTest, UnenrolledDeviceLeavesNoStatusFile) {
  cli_testing::SaveDevice(state_);
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  ASSERT_EQ(::unlink(state_.RecordPath().c_str()), 0);
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  EXPECT_FALSE(FileExists(StatusFilePath(state_)));
}

TEST(StateDirForReadingTest, NormalUserReadsTheDeviceAgentsState) {
  testing::TempDir home;
  EXPECT_EQ(StateDirForReading("/x", false, home.path()), "/x");
  EXPECT_EQ(StateDirForReading("", true, "/var/lib/trellis-agent"),
            "/var/lib/trellis-agent");
  EXPECT_EQ(StateDirForReading("", false, home.path()),
            "/var/lib/trellis-agent");
  ASSERT_TRUE(AgentState(home.path()).SaveRecord(cli_testing::Record()).ok());
  EXPECT_EQ(StateDirForReading("", false, home.path()), home.path());
}

// Runs `body` in a child process as the user nobody and returns what it
// printed; empty with `skip` set when that cannot be done here.
std::string RunAsNobody(const std::function<std::string()>& body,
                        std::string* skip) {
  if (::geteuid() != 0) {
    *skip = "needs root to drop to the user nobody";
    return "";
  }
  struct passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) {
    *skip = "no user nobody on this machine";
    return "";
  }
  const uid_t uid = nobody->pw_uid;
  const gid_t gid = nobody->pw_gid;
  int fds[2];
  if (::pipe(fds) != 0) {
    *skip = "pipe failed";
    return "";
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 ||
        ::setuid(uid) != 0) {
      ::_exit(3);
    }
    std::string out = body();
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = ::write(fds[1], out.data() + off, out.size() - off);
      if (n <= 0) ::_exit(4);
      off += static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, n);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
      << "child status " << wstatus;
  return out;
}

// The real thing: root's agent state, read by the user nobody.
class NormalUserTest : public StatusFileTest {
 protected:
  void SetUp() override {
    // The temporary directory itself must be reachable by nobody.
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    cli_testing::SaveDevice(state_);
  }
  std::string StatusAsNobody() {
    std::string skip;
    std::string out = RunAsNobody(
        [&] {
          return StatusReport(state_, cli_testing::Now(), /*json=*/false);
        },
        &skip);
    if (!skip.empty()) ADD_FAILURE() << skip;
    return out;
  }
  bool CanDropPrivileges() {
    return ::geteuid() == 0 && ::getpwnam("nobody") != nullptr;
  }
};

TEST_F(NormalUserTest, WithoutTheStatusFileSaysPermissionIsNeeded) {
  if (!CanDropPrivileges()) {
    GTEST_SKIP() << "needs root and a user nobody to read as a normal user";
  }
  std::string out = StatusAsNobody();
  EXPECT_THAT(out, HasSubstr("needs permission (run as root or ask IT)"));
  EXPECT_THAT(out, Not(HasSubstr("not enrolled")));
  EXPECT_THAT(out, Not(HasSubstr("enroll --token")));
}

TEST_F(NormalUserTest, SeesComplianceFromTheStatusFile) {
  if (!CanDropPrivileges()) {
    GTEST_SKIP() << "needs root and a user nobody to read as a normal user";
  }
  ASSERT_TRUE(WriteStatusFile(state_, cli_testing::Now()).ok());
  std::string out = StatusAsNobody();
  EXPECT_THAT(out, HasSubstr("Enrolled:      yes (corporate device"));
  EXPECT_THAT(out, HasSubstr("Device id:     dabcdef\n"));
  EXPECT_THAT(out, HasSubstr("Compliance:    grace (access kept until "
                             "2027-01-15 08:00:00 UTC)\n"));
  EXPECT_THAT(out, HasSubstr("[FAIL] Disk is encrypted"));
  EXPECT_THAT(out, HasSubstr("Turn on FileVault"));
  EXPECT_THAT(out, HasSubstr("Shown from:"));
  // The private files stay private.
  std::string skip;
  std::string key = RunAsNobody(
      [&] {
        auto record = ReadFile(state_.RecordPath());
        auto key = ReadFile(state_.KeyPath());
        return absl::StrCat(static_cast<int>(record.status().code()), " ",
                            static_cast<int>(key.status().code()));
      },
      &skip);
  const std::string denied =
      absl::StrCat(static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(key, absl::StrCat(denied, " ", denied));
}

}  // namespace
}  // namespace trellis::agent
