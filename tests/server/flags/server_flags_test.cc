#include "server/server_flags.h"

#include <cctype>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
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

// Every "--word" of the text, in order.
std::vector<std::string> FlagsIn(const std::string& text) {
  std::vector<std::string> out;
  for (size_t at = text.find("--"); at != std::string::npos;
       at = text.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) ||
            text[end] == '-')) {
      ++end;
    }
    if (end > at + 2) out.push_back(text.substr(at + 2, end - at - 2));
    at = end - 2;
  }
  return out;
}

TEST(ServerUsageTest, ListsEveryFlagEachCommandAccepts) {
  const std::string usage = ServerUsage();
  for (const auto* docs : {&ServeFlagDocs(), &OperatorCreateFlagDocs()}) {
    for (const FlagDoc& flag : *docs) {
      EXPECT_THAT(usage, HasSubstr(absl::StrCat("--", flag.name, " ")))
          << flag.name;
    }
  }
  // The ones it once left out, and the ranges the parsers hold.
  EXPECT_THAT(usage, HasSubstr("--vpn-pool CIDR"));
  EXPECT_THAT(usage, HasSubstr("--restart-grace DURATION"));
  EXPECT_THAT(usage, HasSubstr("1-1000000"));
  EXPECT_THAT(usage, HasSubstr("10m-365d"));
  EXPECT_THAT(usage, HasSubstr("1h-3650d"));
}

TEST(ServerUsageTest, EveryFlagItListsIsAccepted) {
  const std::string usage = ServerUsage();
  std::vector<std::string> listed = FlagsIn(usage);
  ASSERT_GE(listed.size(), 18u) << usage;
  for (const std::string& flag : listed) {
    if (flag == "version" || flag == "help") continue;
    // Accepted by one of the parsers: anything but "unknown option".
    std::vector<std::string> argv = {absl::StrCat("--", flag), "x"};
    auto serve = ParseServeFlags(argv);
    auto create = ParseOperatorCreateFlags(argv);
    bool serve_knows =
        serve.ok() || !absl::StrContains(serve.status().message(), "unknown");
    bool create_knows =
        create.ok() || !absl::StrContains(create.status().message(), "unknown");
    EXPECT_TRUE(serve_knows || create_knows) << "--" << flag;
  }
}

absl::StatusOr<OperatorCreateFlags> ParseCreate(
    std::vector<std::string> extra) {
  std::vector<std::string> argv = {"--state-dir", "/tmp/s", "--name",
                                   "alice",       "--role", "admin"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ParseOperatorCreateFlags(argv);
}

TEST(OperatorCreateFlagsTest, EveryFlagIsTaken) {
  auto parsed = ParseCreate({"--out", "/tmp/a.creds", "--server",
                             "[2001:db8::1]:8443", "--lifetime", "30d"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->state_dir, "/tmp/s");
  EXPECT_EQ(parsed->out, "/tmp/a.creds");
  EXPECT_EQ(parsed->request.name, "alice");
  EXPECT_EQ(parsed->request.role, "admin");
  EXPECT_EQ(parsed->request.server_address, "[2001:db8::1]:8443");
  EXPECT_EQ(parsed->request.lifetime, absl::Hours(24 * 30));
  auto defaults = ParseCreate({});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->request.lifetime, absl::Hours(24 * 90));
  EXPECT_EQ(defaults->request.server_address, "");
}

TEST(OperatorCreateFlagsTest, BadValuesAreNamed) {
  struct Case {
    std::vector<std::string> extra;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {{"--lifetime", "0"}, "--lifetime must be between 1h and 3650d"},
           {{"--lifetime", "-1h"}, "--lifetime: bad duration '-1h'"},
           {{"--lifetime", "3651d"}, "--lifetime must be between 1h and"},
           {{"--server", "garbage"}, "--server: 'garbage' is not host:port"},
           {{"--server", "127.0.0.1:99999"}, "the port must be 1-65535"},
           {{"--role", "root"}, "--role: unknown role 'root'"},
           {{"extra"}, "unexpected argument 'extra'"},
           {{"--listen", "127.0.0.1:0"}, "unknown option --listen"},
       }) {
    auto parsed = ParseCreate(c.extra);
    ASSERT_FALSE(parsed.ok()) << c.error;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.error));
  }
  EXPECT_THAT(ParseOperatorCreateFlags({"--name", "a"}).status().message(),
              HasSubstr("needs --state-dir, --name and --role"));
}

TEST(ServeFlagsTest, MalformedAddressesAreRefused) {
  for (const char* bad : {"127.0.0.1:99999", "garbage", "", ":", "[::1]",
                          "[::1:8443", "::1:8443", "127.0.0.1:8443x"}) {
    EXPECT_THAT(Refusal({"--listen", bad}), HasSubstr("--listen")) << bad;
  }
  for (const char* bad : {"not an address", "trellis.example", "1.2.3.4:0",
                          "[zz::1]:443", "host:65536"}) {
    EXPECT_THAT(Refusal({"--advertise", bad}), HasSubstr("--advertise")) << bad;
  }
  EXPECT_THAT(Refusal({"--enroll-failure-limit", "99999999999"}),
              HasSubstr("between 1 and 1000000 (got 99999999999)"));
  EXPECT_THAT(Refusal({"--enroll-failure-limit", "0x10"}),
              HasSubstr("--enroll-failure-limit needs a whole number"));
}

}  // namespace
}  // namespace trellis::server
