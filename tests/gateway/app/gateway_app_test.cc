#include "gateway/app/gateway_app.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/identity/operator_credentials.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::gateway {
namespace {

using ::testing::HasSubstr;

class GatewayAppTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunGateway(args, &runner_, out_, err_);
  }

  // A credentials file that parses (the PEM contents are never used before
  // the interface check).
  std::string WriteCredentials() {
    identity::OperatorCredentials creds;
    creds.server_address = "127.0.0.1:8443";
    creds.operator_name = "gw1";
    creds.role = "gateway";
    creds.certificate_pem =
        "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
    creds.private_key_pem =
        "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n";
    creds.ca_certificate_pem = creds.certificate_pem;
    std::string path = temp_.File("gateway.cred");
    EXPECT_TRUE(
        WriteFileAtomic(path, identity::FormatOperatorCredentials(creds), 0600)
            .ok());
    return path;
  }

  trellis::testing::TempDir temp_;
  FakeCommandRunner runner_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(GatewayAppTest, HelpDocumentsInterfaceSetup) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("--credentials FILE --interface IFACE"));
  EXPECT_THAT(
      out_.str(),
      HasSubstr("operator create --state-dir DIR --name gw-1 --role gateway"));
  EXPECT_THAT(out_.str(), HasSubstr("wg set wg0 private-key"));
}

TEST_F(GatewayAppTest, VersionPrintsNameAndVersion) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_EQ(out_.str(), "trellis-gateway " TRELLIS_VERSION "\n");
  EXPECT_EQ(err_.str(), "");
  EXPECT_TRUE(runner_.calls().empty());
}

TEST_F(GatewayAppTest, UnknownFlagIsAnError) {
  EXPECT_EQ(Run({"--verbose"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown option --verbose"));
  EXPECT_THAT(err_.str(), HasSubstr("trellis-gateway --help"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(GatewayAppTest, UsageErrors) {
  EXPECT_EQ(Run({"--interface", "wg0"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--credentials FILE is required"));
  EXPECT_EQ(Run({"--credentials", "c"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--interface IFACE is required"));
  EXPECT_EQ(Run({"--credentials", "c", "--interface", "wg0", "--bogus"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--bogus"));
  EXPECT_EQ(Run({"--credentials", "c", "--interface", "wg0;reboot"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--interface"));
  EXPECT_EQ(Run({"--credentials", WriteCredentials(), "--interface", "wg0",
                 "--log-level", "loud"}),
            2);
  EXPECT_TRUE(runner_.calls().empty());
}

TEST_F(GatewayAppTest, BadCredentialsFile) {
  EXPECT_EQ(Run({"--credentials", temp_.File("missing"), "--interface", "wg0"}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr(temp_.File("missing")));
  ASSERT_TRUE(WriteFileAtomic(temp_.File("junk"), "server: x\n").ok());
  EXPECT_EQ(Run({"--credentials", temp_.File("junk"), "--interface", "wg0"}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("expected a certificate, a private key"));
  EXPECT_TRUE(runner_.calls().empty());
}

TEST_F(GatewayAppTest, MissingInterface) {
  CommandResult missing;
  missing.exit_code = 1;
  missing.stderr_text = "Unable to access interface: No such device\n";
  runner_.Set("wg show wg7 dump", missing);
  EXPECT_EQ(Run({"--credentials", WriteCredentials(), "--interface", "wg7"}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("WireGuard interface wg7 is not usable"));
  EXPECT_THAT(err_.str(), HasSubstr("No such device"));
  EXPECT_THAT(err_.str(), HasSubstr("create it first"));
}

TEST_F(GatewayAppTest, MissingWg) {
  EXPECT_EQ(Run({"--credentials", WriteCredentials(), "--interface", "wg0"}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("wg is not installed"));
}

TEST(GatewayFlagsTest, Defaults) {
  absl::StatusOr<GatewayFlags> flags =
      ParseGatewayFlags({"--credentials", "c", "--interface=wg0"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->server_address, "");
  EXPECT_EQ(flags->log_level, "info");
  EXPECT_EQ(flags->nft_dir, "/run/trellis-gateway");
  flags = ParseGatewayFlags({"--credentials", "c", "--interface", "wg0",
                             "--server", "vpn.example:8443"});
  EXPECT_EQ(flags->server_address, "vpn.example:8443");
}

// --server is checked before anything is read or dialled: a bad address is
// a usage error (exit 2) naming it, not a connection that never succeeds.
TEST_F(GatewayAppTest, BadServerAddressIsAUsageError) {
  for (const char* bad : {"garbage", "10.0.0.1:99999", "10.0.0.1:0",
                          "fd00::1:8443", "not an address"}) {
    EXPECT_EQ(Run({"--credentials", WriteCredentials(), "--interface", "wg0",
                   "--server", bad}),
              2)
        << bad;
    EXPECT_THAT(err_.str(), HasSubstr("--server: ")) << bad;
    EXPECT_THAT(err_.str(), HasSubstr("port 1-65535")) << bad;
  }
  absl::StatusOr<GatewayFlags> v6 = ParseGatewayFlags(
      {"--credentials", "c", "--interface", "wg0", "--server", "[fd00::1]:1"});
  EXPECT_TRUE(v6.ok()) << v6.status();
}

TEST_F(GatewayAppTest, HelpListsEveryFlagItAccepts) {
  EXPECT_EQ(Run({"--help"}), 0);
  for (const FlagDoc& flag : GatewayFlagDocs()) {
    EXPECT_THAT(out_.str(), HasSubstr(absl::StrCat("--", flag.name)))
        << flag.name;
  }
}

}  // namespace
}  // namespace trellis::gateway
