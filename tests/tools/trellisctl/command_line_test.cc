// trellisctl's command line: every command takes only its own flags, and a
// wrong command line stops before anything reaches a server (these runs
// point at credentials that do not exist, so reaching the connection step
// shows up as "cannot read credentials").
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pki.h"
#include "common/identity/operator_credentials.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tools/trellisctl/ctl_main.h"

namespace trellis::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::trellis::testing::TempDir;

struct CtlRun {
  int exit_code;
  std::string out;
  std::string err;
};

CtlRun Ctl(std::vector<std::string> args, const std::string& input = "",
           bool interactive = false) {
  args.insert(args.begin(), {"--credentials", "/nonexistent/creds"});
  std::istringstream in(input);
  std::ostringstream out, err;
  int code = RunCtl(args, CtlIo{in, out, err, interactive});
  return {code, out.str(), err.str()};
}

constexpr char kDevice[] = "daaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kNoConnection[] = "cannot read credentials";

TEST(CommandLineTest, ForeignFlagOnRevokeIsAnErrorNamingIt) {
  CtlRun r =
      Ctl({"device", "revoke", kDevice, "--reason", "R", "--dry-run", "--yes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dry-run"));
  EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
}

TEST(CommandLineTest, FlagsOfOtherCommandsAreRefused) {
  struct Case {
    std::vector<std::string> args;
    std::string foreign;
  };
  for (const Case& c : std::vector<Case>{
           {{"device", "list", "--reason", "x"}, "--reason"},
           {{"device", "show", kDevice, "--until", "7d"}, "--until"},
           {{"token", "list", "--group", "staff"}, "--group"},
           {{"policy", "show", "--prune"}, "--prune"},
           {{"audit", "verify", "--limit", "3"}, "--limit"},
           {{"whoami", "--all"}, "--all"}}) {
    CtlRun r = Ctl(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.foreign;
    EXPECT_THAT(r.err, HasSubstr(c.foreign));
    EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
  }
}

TEST(CommandLineTest, OwnFlagsAreAcceptedAndReachTheConnection) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"device", "list", "--group", "staff", "--state", "active",
            "--compliance", "grace", "--search", "lap", "--limit", "5"},
           {"device", "show", "laptop-1", "--facts"},
           {"device", "show", kDevice, "--json"},
           {"--json", "token", "list", "--all"},
           {"exception", "add", kDevice, "p/c", "--until", "7d", "--reason",
            "r"},
           {"audit", "list", "--after", "3", "--limit", "10"}}) {
    CtlRun r = Ctl(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(kNoConnection));
  }
}

TEST(CommandLineTest, BadValuesAndMissingArgumentsAreNamed) {
  CtlRun state = Ctl({"device", "list", "--state", "lost"});
  EXPECT_EQ(state.exit_code, 2);
  EXPECT_THAT(state.err, HasSubstr("--state"));
  CtlRun limit = Ctl({"device", "list", "--limit", "many"});
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_THAT(limit.err, HasSubstr("--limit"));
  CtlRun reason = Ctl({"device", "retire", kDevice, "--yes"});
  EXPECT_EQ(reason.exit_code, 2);
  EXPECT_THAT(reason.err, HasSubstr("--reason"));
  CtlRun extra = Ctl({"token", "revoke", "a", "b"});
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("b"));
  CtlRun unknown = Ctl({"device", "explode"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("explode"));
  CtlRun none = Ctl({});
  EXPECT_EQ(none.exit_code, 2);
}

TEST(CommandLineTest, DestructiveCommandsWithoutTerminalNeedYes) {
  for (const char* verb : {"revoke", "retire"}) {
    CtlRun r = Ctl({"device", verb, kDevice, "--reason", "stolen"});
    EXPECT_EQ(r.exit_code, 2) << verb;
    EXPECT_THAT(r.err, HasSubstr("pass --yes"));
    EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
    // --yes goes on to the server.
    CtlRun yes = Ctl({"device", verb, kDevice, "--reason", "stolen", "--yes"});
    EXPECT_THAT(yes.err, HasSubstr(kNoConnection));
  }
}

TEST(CommandLineTest, HelpAndVersionGoToStdoutAndSucceed) {
  CtlRun help = Ctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "");
  for (const char* group : {"device", "token", "policy", "exception", "audit",
                            "compliance", "facts", "whoami"}) {
    EXPECT_THAT(help.out, HasSubstr(group));
  }
  CtlRun revoke = Ctl({"device", "revoke", "--help"});
  EXPECT_EQ(revoke.exit_code, 0);
  EXPECT_THAT(revoke.out, HasSubstr("--reason"));
  EXPECT_THAT(revoke.out, HasSubstr("--yes"));
  EXPECT_THAT(revoke.out, Not(HasSubstr("--dry-run")));
  CtlRun apply = Ctl({"policy", "apply", "-h"});
  EXPECT_EQ(apply.exit_code, 0);
  EXPECT_THAT(apply.out, HasSubstr("--prune"));
  CtlRun version = Ctl({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "trellisctl " TRELLIS_VERSION "\n");
}

TEST(CommandLineTest, OfflineCommandsNeedNoCredentials) {
  CtlRun facts = Ctl({"facts", "reference"});
  EXPECT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_THAT(facts.out, HasSubstr("os_version"));
  CtlRun validate = Ctl({"policy", "validate", TRELLIS_SOURCE_DIR "/policies"});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_THAT(validate.out, HasSubstr("all valid"));
}

struct Refusal {
  std::vector<std::string> args;
  std::string error;
};

TEST(CommandLineTest, NumbersOutOfRangeAreRefusedNamingTheRange) {
  const std::vector<std::string> create = {"token", "create", "--ownership",
                                           "personal"};
  auto token = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = create;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  for (const Refusal& c : std::vector<Refusal>{
           // 2^32 + 1 would have been sent as 1 use.
           {token({"--uses", "4294967297"}),
            "--uses must be between 1 and 100000 (got 4294967297)"},
           {token({"--uses", "0"}), "--uses must be between 1 and 100000"},
           {token({"--uses", "-1"}), "--uses must be between 1 and 100000"},
           {token({"--uses", "100001"}), "--uses must be between 1 and"},
           {token({"--uses", "0x10"}), "--uses needs a whole number"},
           {token({"--ttl", "0"}),
            "--ttl must be between 1m and 365d (got 0s)"},
           {token({"--ttl", "400d"}), "--ttl must be between 1m and 365d"},
           {token({"--ttl", "-5m"}), "--ttl: bad duration '-5m'"},
           {token({"--ttl", "99999999999d"}),
            "--ttl must be between 1m and 365d (got 99999999999d)"},
           {token({"--ttl", "1.5h"}), "--ttl: bad duration '1.5h'"},
           // -1 and 2^64 would have wrapped or saturated to 2^64 - 1.
           {{"audit", "list", "--after", "-1"},
            "--after must be between 0 and 9223372036854775807 (got -1)"},
           {{"audit", "list", "--after", "18446744073709551616"},
            "--after must be between 0 and"},
           {{"audit", "list", "--limit", "0"},
            "--limit must be between 1 and 1000 (got 0)"},
           {{"audit", "list", "--limit", "4294967297"},
            "--limit must be between 1 and 1000"},
           {{"device", "list", "--limit", "-1"},
            "--limit must be between 0 and 1000000 (got -1)"},
           {{"device", "list", "--limit", "4294967297"},
            "--limit must be between 0 and 1000000"},
           // Saturated to 2^63 - 1 by strtoll.
           {{"exception", "remove", "99999999999999999999"},
            "EXCEPTION_ID must be a whole number between 1 and"},
           {{"exception", "remove", "0"}, "EXCEPTION_ID must be a whole"},
           {{"exception", "add", kDevice, "p/c", "--until", "0", "--reason",
             "r"},
            "--until must be between 1s and 365d (got 0s)"},
           {{"exception", "add", kDevice, "p/c", "--until", "400d", "--reason",
             "r"},
            "--until must be between 1s and 365d"},
           {{"exception", "add", kDevice, "p/c", "--until",
             "2000-01-01T00:00:00Z", "--reason", "r"},
            "must be in the future and at most 365d away"},
           {{"exception", "add", kDevice, "p/c", "--until", "soon", "--reason",
             "r"},
            "--until takes a duration"},
           {{"--server", "garbage", "whoami"}, "--server: 'garbage'"},
           {{"--server", "127.0.0.1:99999", "whoami"},
            "the port must be 1-65535"},
           {{"whoami", "--server", "2001:db8::1:443"}, "IPv6 host in brackets"},
       }) {
    CtlRun r = Ctl(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.error << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.error));
    EXPECT_THAT(r.err, Not(HasSubstr(kNoConnection)));
  }
}

TEST(CommandLineTest, NumbersInRangeReachTheConnection) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"token", "create", "--ownership", "personal", "--uses", "100000",
            "--ttl", "365d"},
           {"token", "create", "--ownership", "corporate", "--uses", "010",
            "--ttl", "1m"},
           {"audit", "list", "--after", "0", "--limit", "1000"},
           {"device", "list", "--limit", "0"},
           {"exception", "remove", "7"},
           {"exception", "add", kDevice, "p/c", "--until", "364d", "--reason",
            "r"},
           {"--server", "[::1]:8443", "whoami"}}) {
    CtlRun r = Ctl(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(kNoConnection));
  }
}

TEST(CommandLineTest, HelpShowsTheRanges) {
  CtlRun help = Ctl({"token", "create", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("(1-100000)"));
  EXPECT_THAT(help.out, HasSubstr("(1m-365d)"));
}

// Credentials whose certificate ended `ago` before now.
std::string ExpiredCredentials(const TempDir& dir, absl::Duration ago) {
  const absl::Time now = absl::Now();
  auto ca = crypto::CertificateAuthority::Create(
      "test CA", now - absl::Hours(48), absl::Hours(24 * 365));
  auto keys = crypto::GenerateKeyPair();
  EXPECT_TRUE(ca.ok() && keys.ok());
  crypto::CertRequest request;
  request.public_key_pem = keys->public_key_pem;
  request.common_name = "alice";
  request.organizational_unit = "operator";
  request.not_before = now - absl::Hours(24);
  request.not_after = now - ago;
  auto cert = ca->Issue(request);
  EXPECT_TRUE(cert.ok()) << cert.status();
  identity::OperatorCredentials creds;
  creds.server_address = "127.0.0.1:1";
  creds.operator_name = "alice";
  creds.role = "admin";
  creds.certificate_pem = *cert;
  creds.private_key_pem = keys->private_key_pem;
  creds.ca_certificate_pem = ca->certificate_pem();
  std::string path = dir.File("alice.creds");
  EXPECT_TRUE(
      WriteFileAtomic(path, identity::FormatOperatorCredentials(creds), 0600)
          .ok());
  return path;
}

TEST(CommandLineTest, ExpiredCredentialsAreNamedAsExpired) {
  TempDir dir;
  std::string path = ExpiredCredentials(dir, absl::Minutes(1));
  std::istringstream in;
  std::ostringstream out, err;
  int code = RunCtl({"--credentials", path, "whoami"},
                    CtlIo{in, out, err, /*interactive=*/false});
  EXPECT_EQ(code, 1);
  EXPECT_THAT(err.str(), HasSubstr(absl::StrCat("the credentials in ", path,
                                                " expired at ")));
  EXPECT_THAT(err.str(), HasSubstr("trellis-server operator create"));
  EXPECT_THAT(err.str(), Not(HasSubstr("Socket closed")));
}

}  // namespace
}  // namespace trellis::ctl
