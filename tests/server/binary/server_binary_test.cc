// The built trellis-server binary, run as a separate process: how it ends
// when it cannot start, and what it says about its command line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/exec/command_runner.h"
#include "common/util/clock.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/pki/server_pki.h"
#include "server/server_flags.h"
#include "server/store/sqlite_store.h"
#include "server/trellis_server.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;
using ::trellis::testing::TempDir;

// $TRELLIS_SERVER_BINARY runs these tests against another build.
const std::string kBinary = [] {
  const char* other = std::getenv("TRELLIS_SERVER_BINARY");
  return std::string(other != nullptr && *other != '\0' ? other
                                                        : TRELLIS_BINARY_DIR
                         "/server/trellis-server");
}();

// Exit codes the binary documents.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

class ServerBinaryTest : public ::testing::Test {
 protected:
  // Runs the binary; a run that does not end by itself within the limit
  // (a server that started when it should have refused) fails the test.
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), kBinary);
    auto result = runner_.Run(args, absl::Seconds(30));
    EXPECT_TRUE(result.ok()) << "trellis-server " << absl::StrJoin(args, " ")
                             << ": " << result.status();
    return result.ok() ? *result : CommandResult{-1, "", ""};
  }

  // A state directory with the server's keys made, as after a first start.
  std::string MakeStateDir() {
    std::string state = dir_.File("state");
    auto pki = LoadOrCreateServerPki(state, {"localhost"}, {"127.0.0.1"},
                                     *Clock::Real());
    EXPECT_TRUE(pki.ok()) << pki.status();
    return state;
  }

  TempDir dir_;
  RealCommandRunner runner_;
};

TEST_F(ServerBinaryTest, PortInUseExitsOneWithTheReason) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string listen = absl::StrCat("127.0.0.1:", ntohs(addr.sin_port));

  CommandResult r =
      Run({"--state-dir", dir_.File("state"), "--listen", listen});
  close(fd);
  EXPECT_EQ(r.exit_code, kExitFailure) << r.stderr_text;
  EXPECT_THAT(r.stderr_text,
              HasSubstr(absl::StrCat("cannot listen on ", listen)));
}

TEST_F(ServerBinaryTest, UnreadableStoredBundleExitsOneWithTheReason) {
  std::string state = MakeStateDir();
  {
    auto store = SqliteStore::Open({DatabasePath(state)});
    ASSERT_TRUE(store.ok()) << store.status();
    PolicyBundleRecord garbage;
    garbage.version = 1;
    garbage.published_at = absl::Now();
    garbage.published_by = "operator:test";
    garbage.signed_bundle = "\xff\xff not a signed bundle";
    absl::Status written = (*store)->WriteSync(
        [&](StoreWriter& w) { return w.InsertPolicyBundle(garbage); });
    ASSERT_TRUE(written.ok()) << written;
  }
  CommandResult r = Run({"--state-dir", state, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, kExitFailure) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("stored policy bundle cannot be read"));
}

TEST_F(ServerBinaryTest, DamagedCaCertificateExitsOneNamingTheFile) {
  std::string state = MakeStateDir();
  ASSERT_TRUE(WriteFileAtomic(state + "/ca.crt", "garbage\n", 0644).ok());
  CommandResult r = Run({"--state-dir", state, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, kExitFailure) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr(state + "/ca.crt"));
}

TEST_F(ServerBinaryTest, EnrollFailureLimitOutsideItsRangeExitsTwo) {
  for (const char* bad : {"0", "-3"}) {
    CommandResult r = Run({"--state-dir", dir_.File("state"), "--listen",
                           "127.0.0.1:0", "--enroll-failure-limit", bad});
    EXPECT_EQ(r.exit_code, kExitUsage) << bad << ": " << r.stderr_text;
    EXPECT_THAT(r.stderr_text,
                HasSubstr("--enroll-failure-limit must be between 1 and "
                          "1000000"));
  }
  // Nothing was created for a refused command line.
  EXPECT_FALSE(FileExists(dir_.File("state")));
}

TEST_F(ServerBinaryTest, WildcardListenWithoutAdvertiseExitsTwo) {
  CommandResult r =
      Run({"--state-dir", dir_.File("state"), "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("--advertise HOST:PORT is required"));
}

// The shipped unit's ExecStart with the shipped example settings, expanded
// as systemd does: "${VAR}" is one argument (maybe empty), "$VAR" is split
// on spaces.
std::vector<std::string> ShippedUnitCommand(const std::string& state_dir) {
  auto env =
      ReadFile(TRELLIS_SOURCE_DIR "/installers/systemd/trellis-server.env");
  auto unit =
      ReadFile(TRELLIS_SOURCE_DIR "/installers/systemd/trellis-server.service");
  EXPECT_TRUE(env.ok() && unit.ok());
  if (!env.ok() || !unit.ok()) return {};
  std::map<std::string, std::string> vars;
  for (absl::string_view line : absl::StrSplit(*env, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    vars[kv.first] = kv.second;
  }
  EXPECT_THAT(*unit, HasSubstr("EnvironmentFile=/etc/trellis/server.env"));
  EXPECT_THAT(*unit, HasSubstr("RestartPreventExitStatus=2"));
  std::vector<std::string> argv;
  for (absl::string_view line : absl::StrSplit(*unit, '\n')) {
    if (!absl::ConsumePrefix(&line, "ExecStart=")) continue;
    for (absl::string_view word :
         absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      if (absl::ConsumePrefix(&word, "${")) {
        argv.push_back(vars[std::string(absl::StripSuffix(word, "}"))]);
      } else if (absl::ConsumePrefix(&word, "$")) {
        for (absl::string_view part :
             absl::StrSplit(vars[std::string(word)], ' ', absl::SkipEmpty())) {
          argv.emplace_back(part);
        }
      } else if (word == "/usr/local/bin/trellis-server") {
        argv.push_back(kBinary);
      } else if (word == "/var/lib/trellis") {
        argv.push_back(state_dir);
      } else {
        argv.emplace_back(word);
      }
    }
  }
  return argv;
}

TEST_F(ServerBinaryTest, ShippedUnitWithoutAdvertiseIsRefused) {
  std::vector<std::string> argv = ShippedUnitCommand(dir_.File("state"));
  ASSERT_GE(argv.size(), 2u);
  EXPECT_EQ(argv[0], kBinary);
  EXPECT_THAT(absl::StrJoin(argv, " "), HasSubstr("--listen 0.0.0.0:8443"));
  auto result = runner_.Run(argv, absl::Seconds(30));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, kExitUsage) << result->stderr_text;
  EXPECT_THAT(result->stderr_text,
              HasSubstr("--advertise HOST:PORT is required"));
}

TEST_F(ServerBinaryTest, UnknownFlagExitsTwo) {
  CommandResult r = Run({"--state-dir", dir_.File("state"), "--bogus", "1"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.stderr_text, HasSubstr("unknown option --bogus"));
  r = Run({"operator", "create", "--state-dir", dir_.File("state"), "--name",
           "a", "--role", "admin", "--lifetime", "0"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.stderr_text, HasSubstr("--lifetime must be between 1h and"));
}

TEST_F(ServerBinaryTest, VersionPrintsTheVersion) {
  CommandResult r = Run({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text,
            absl::StrCat("trellis-server ", TRELLIS_VERSION, "\n"));
}

// The command lines the issue reported: each refused up front with exit 2
// naming the flag, before anything is created, rather than serving on
// another port, crashing, or truncating the number.
TEST_F(ServerBinaryTest, BadAddressesAndNumbersExitTwoNamingTheFlag) {
  const std::string state = dir_.File("state");
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {{"serve", "--listen", "127.0.0.1:99999"},
            "--listen 127.0.0.1:99999: expected HOST:PORT with the port "
            "0-65535"},
           {{"serve", "--listen", "garbage"}, "--listen garbage: expected"},
           {{"serve", "--advertise", "not an address"},
            "--advertise: 'not an address' is not host:port"},
           {{"serve", "--enroll-failure-limit", "99999999999"},
            "--enroll-failure-limit must be between 1 and 1000000 (got "
            "99999999999)"},
           {{"operator", "create", "--name", "a", "--role", "admin", "--server",
             "127.0.0.1:99999"},
            "--server: '127.0.0.1:99999' is not host:port"},
           {{"operator", "create", "--name", "a", "--role", "admin",
             "--lifetime", "-1h"},
            "--lifetime: bad duration '-1h'"},
       }) {
    // The case's own --listen, given later, wins over this one.
    std::vector<std::string> args =
        c.args[0] == "serve"
            ? std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"}
            : std::vector<std::string>{"operator", "create"};
    args.insert(args.end(), {"--state-dir", state});
    args.insert(args.end(), c.args.begin() + (c.args[0] == "serve" ? 1 : 2),
                c.args.end());
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << c.error << ": " << r.stderr_text;
    EXPECT_THAT(r.stderr_text, HasSubstr(c.error));
  }
  EXPECT_FALSE(FileExists(state));
}

TEST_F(ServerBinaryTest, HelpListsEveryFlagTheCommandsAccept) {
  CommandResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const auto* docs : {&ServeFlagDocs(), &OperatorCreateFlagDocs()}) {
    for (const FlagDoc& flag : *docs) {
      EXPECT_THAT(r.stdout_text, HasSubstr(absl::StrCat("--", flag.name, " ")))
          << flag.name;
    }
  }
  EXPECT_THAT(r.stdout_text, HasSubstr("--vpn-pool CIDR"));
}

}  // namespace
}  // namespace trellis::server
