#include "server/server_flags.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

absl::StatusOr<ServeFlags> Parse(std::vector<std::string> extra) {
  std::vector<std::string> argv = {"--state-dir", "/tmp/trellis-flags-test"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ParseServeFlags(argv);
}

// The error of a refused command line; fails the test when it was accepted.
std::string Refusal(std::vector<std::string> extra) {
  auto parsed = Parse(std::move(extra));
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(ServeFlagsTest, DefaultsAreAccepted) {
  auto parsed = Parse({});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.listen_address, "127.0.0.1:8443");
  EXPECT_EQ(parsed->config.enroll_failure_limit, 10);
  EXPECT_TRUE(parsed->log_level.empty());
}

TEST(ServeFlagsTest, EveryFlagIsTaken) {
  auto parsed = Parse({"--listen",
                       "10.1.2.3:9443",
                       "--advertise",
                       "trellis.example:443",
                       "--tls-dns",
                       "trellis.example, alt.example",
                       "--tls-ip",
                       "10.1.2.3",
                       "--device-cert-lifetime",
                       "7d",
                       "--checkin-interval",
                       "2m",
                       "--validity-window",
                       "10m",
                       "--enroll-failure-limit",
                       "25",
                       "--vpn-pool",
                       "10.9.0.0/24",
                       "--log-level",
                       "debug"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const ServerConfig& c = parsed->config;
  EXPECT_EQ(c.listen_address, "10.1.2.3:9443");
  EXPECT_EQ(c.advertised_address, "trellis.example:443");
  EXPECT_THAT(c.tls_dns_names,
              ::testing::ElementsAre("trellis.example", "alt.example"));
  EXPECT_THAT(c.tls_ip_addresses, ::testing::ElementsAre("10.1.2.3"));
  EXPECT_EQ(c.device_certificate_lifetime, absl::Hours(24 * 7));
  EXPECT_EQ(c.checkin_interval_seconds, 120);
  EXPECT_EQ(c.validity_window, absl::Minutes(10));
  EXPECT_EQ(c.enroll_failure_limit, 25);
  EXPECT_EQ(c.vpn_pool, "10.9.0.0/24");
  EXPECT_EQ(parsed->log_level, "debug");
}

TEST(ServeFlagsTest, EnrollFailureLimitOutsideItsRangeIsNamed) {
  for (const char* bad : {"0", "-1", "-2147483648", "4294967296", "1000001"}) {
    EXPECT_THAT(Refusal({"--enroll-failure-limit", bad}),
                AllOf(HasSubstr("--enroll-failure-limit"),
                      HasSubstr("between 1 and 1000000"),
                      HasSubstr(absl::StrCat("got ", bad))))
        << bad;
  }
  EXPECT_THAT(Refusal({"--enroll-failure-limit", "ten"}),
              HasSubstr("--enroll-failure-limit needs a whole number"));
  EXPECT_TRUE(Parse({"--enroll-failure-limit", "1"}).ok());
  EXPECT_TRUE(Parse({"--enroll-failure-limit", "1000000"}).ok());
}

TEST(ServeFlagsTest, DurationsOutsideTheirRangesAreNamed) {
  struct Case {
    const char* flag;
    const char* value;
    const char* range;
  };
  for (const Case& c : {
           Case{"device-cert-lifetime", "9m", "between 10m and 365d"},
           Case{"device-cert-lifetime", "366d", "between 10m and 365d"},
           Case{"device-cert-lifetime", "0", "between 10m and 365d"},
           Case{"checkin-interval", "0s", "between 1s and 1d"},
           Case{"checkin-interval", "25h", "between 1s and 1d"},
           Case{"validity-window", "1s", "between 2s and 30d"},
           Case{"validity-window", "31d", "between 2s and 30d"},
       }) {
    EXPECT_THAT(
        Refusal({absl::StrCat("--", c.flag), c.value}),
        AllOf(HasSubstr(absl::StrCat("--", c.flag)), HasSubstr(c.range)))
        << c.flag << " " << c.value;
  }
  EXPECT_THAT(Refusal({"--checkin-interval", "-5m"}),
              AllOf(HasSubstr("--checkin-interval"), HasSubstr("1s to 1d")));
  EXPECT_THAT(Refusal({"--validity-window", "soon"}),
              HasSubstr("--validity-window"));
}

TEST(ServeFlagsTest, ValidityWindowMustOutlastTheCheckinInterval) {
  EXPECT_THAT(Refusal({"--checkin-interval", "30m"}),
              AllOf(HasSubstr("--validity-window (15m)"),
                    HasSubstr("--checkin-interval (30m)")));
  EXPECT_TRUE(
      Parse({"--checkin-interval", "30m", "--validity-window", "90m"}).ok());
}

TEST(ServeFlagsTest, PortsOutsideTheirRangesAreNamed) {
  EXPECT_THAT(Refusal({"--listen", "127.0.0.1:65536"}),
              AllOf(HasSubstr("--listen"), HasSubstr("0-65535")));
  EXPECT_THAT(Refusal({"--listen", "127.0.0.1:-1"}), HasSubstr("--listen"));
  EXPECT_THAT(Refusal({"--listen", "127.0.0.1"}), HasSubstr("--listen"));
  EXPECT_TRUE(Parse({"--listen", "127.0.0.1:0"}).ok());
  EXPECT_TRUE(Parse({"--listen", "[::1]:8443"}).ok());
  EXPECT_THAT(Refusal({"--advertise", "trellis.example:0"}),
              AllOf(HasSubstr("--advertise"), HasSubstr("1-65535")));
  EXPECT_THAT(Refusal({"--advertise", "trellis.example:70000"}),
              HasSubstr("--advertise"));
}

TEST(ServeFlagsTest, WildcardListenWithoutAdvertiseIsRefused) {
  for (const char* wildcard : {"0.0.0.0:8443", "[::]:8443", "0.0.0.0:0"}) {
    EXPECT_THAT(Refusal({"--listen", wildcard}),
                AllOf(HasSubstr("every address"),
                      HasSubstr("--advertise HOST:PORT is required")))
        << wildcard;
  }
  auto parsed = Parse({"--listen", "0.0.0.0:8443", "--advertise",
                       "trellis.example.gov.uk:8443"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.advertised_address, "trellis.example.gov.uk:8443");
}

TEST(ServeFlagsTest, BadTlsNamesAndPoolsAreNamed) {
  EXPECT_THAT(Refusal({"--tls-ip", "10.0.0.300"}), HasSubstr("--tls-ip"));
  EXPECT_THAT(Refusal({"--tls-dns", "bad name"}), HasSubstr("--tls-dns"));
  EXPECT_THAT(Refusal({"--vpn-pool", "10.0.0.0/40"}), HasSubstr("--vpn-pool"));
}

TEST(ServeFlagsTest, UnknownFlagsStrayWordsAndBadLogLevelsAreRefused) {
  EXPECT_THAT(Refusal({"--enroll-failure-limt", "3"}),
              HasSubstr("unknown option --enroll-failure-limt"));
  EXPECT_THAT(Refusal({"extra"}), HasSubstr("unexpected argument 'extra'"));
  EXPECT_THAT(Refusal({"--log-level", "loud"}), HasSubstr("--log-level"));
  auto missing = ParseServeFlags({"--listen", "127.0.0.1:0"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("--state-dir"));
}

TEST(ServerConfigTest, ConfigBuiltInCodeObeysTheSameRanges) {
  ServerConfig config;
  config.state_dir = "/tmp/x";
  EXPECT_TRUE(ValidateServerConfig(config).ok());
  config.enroll_failure_limit = 0;
  EXPECT_THAT(ValidateServerConfig(config).message(),
              HasSubstr("--enroll-failure-limit"));
  config.enroll_failure_limit = 10;
  config.checkin_interval_seconds = 0;
  EXPECT_THAT(ValidateServerConfig(config).message(),
              HasSubstr("--checkin-interval"));
}

TEST(ServeFlagsRestartGraceTest, TakenAndBounded) {
  auto parsed = ParseServeFlags(
      {"--state-dir", "/tmp/trellis-flags-test", "--restart-grace", "90s"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->config.restart_grace.has_value());
  EXPECT_EQ(*parsed->config.restart_grace, absl::Seconds(90));
  auto unset = ParseServeFlags({"--state-dir", "/tmp/trellis-flags-test"});
  ASSERT_TRUE(unset.ok()) << unset.status();
  EXPECT_FALSE(unset->config.restart_grace.has_value());
  auto too_long = ParseServeFlags(
      {"--state-dir", "/tmp/trellis-flags-test", "--restart-grace", "25h"});
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(std::string(too_long.status().message()),
              HasSubstr("--restart-grace"));
}

}  // namespace
}  // namespace trellis::server
