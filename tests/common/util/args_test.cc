#include "common/util/args.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ArgSpec Spec() {
  ArgSpec spec;
  spec.value_flags = {"state-dir", "limit", "token"};
  spec.bool_flags = {"verbose", "json"};
  return spec;
}

TEST(ParseArgsTest, CollectsPositionalWordsInOrder) {
  auto parsed = ParseArgs({"token", "create", "extra"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional, ElementsAre("token", "create", "extra"));
  EXPECT_THAT(parsed->values, IsEmpty());
  EXPECT_THAT(parsed->flags, IsEmpty());
}

TEST(ParseArgsTest, ValueFlagWithSeparateValue) {
  auto parsed = ParseArgs({"run", "--state-dir", "/var/lib/x", "more"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("state-dir"), "/var/lib/x");
  EXPECT_TRUE(parsed->Has("state-dir"));
  EXPECT_THAT(parsed->positional, ElementsAre("run", "more"));
}

TEST(ParseArgsTest, ValueFlagWithInlineValue) {
  auto parsed = ParseArgs({"--state-dir=/tmp/a=b", "--token="}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  // Only the first '=' separates name from value.
  EXPECT_EQ(parsed->Get("state-dir"), "/tmp/a=b");
  EXPECT_TRUE(parsed->Has("token"));
  EXPECT_EQ(parsed->Get("token", "fallback"), "");
}

TEST(ParseArgsTest, BoolFlag) {
  auto parsed = ParseArgs({"--verbose", "status"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Has("verbose"));
  EXPECT_FALSE(parsed->Has("json"));
  EXPECT_THAT(parsed->flags, ElementsAre("verbose"));
  EXPECT_THAT(parsed->positional, ElementsAre("status"));
}

TEST(ParseArgsTest, GetFallsBackWhenAbsent) {
  auto parsed = ParseArgs({}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("state-dir", "/default"), "/default");
  EXPECT_EQ(parsed->Get("state-dir"), "");
  EXPECT_FALSE(parsed->Has("state-dir"));
}

TEST(ParseArgsTest, ShortDashWordsArePositional) {
  auto parsed = ParseArgs({"-", "--", "-v"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional, ElementsAre("-", "--", "-v"));
}

TEST(ParseArgsTest, UnknownFlagIsAnErrorNamingIt) {
  auto parsed = ParseArgs({"run", "--stat-dir", "/x"}, Spec());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("--stat-dir"));

  auto inline_value = ParseArgs({"--bogus=1"}, Spec());
  ASSERT_FALSE(inline_value.ok());
  EXPECT_THAT(inline_value.status().message(), HasSubstr("unknown option"));
  EXPECT_THAT(inline_value.status().message(), HasSubstr("--bogus"));
}

TEST(ParseArgsTest, MissingValueIsAnError) {
  auto parsed = ParseArgs({"run", "--state-dir"}, Spec());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("--state-dir"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("needs a value"));
}

TEST(ParseArgsTest, AnOptionIsNotTakenAsTheValueBeforeIt) {
  auto parsed = ParseArgs({"run", "--state-dir", "--verbose"}, Spec());
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("--state-dir needs a value, but the next word is the "
                        "option --verbose"));
  // Written inline, a value may start with dashes.
  auto inline_value = ParseArgs({"--state-dir=--odd"}, Spec());
  ASSERT_TRUE(inline_value.ok()) << inline_value.status();
  EXPECT_EQ(inline_value->values.at("state-dir"), "--odd");
}

TEST(ParseArgsTest, BoolFlagWithValueIsAnError) {
  auto parsed = ParseArgs({"--verbose=yes"}, Spec());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("--verbose"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("takes no value"));
}

TEST(ParseArgsTest, LaterValueWins) {
  auto parsed = ParseArgs({"--limit", "1", "--limit=2"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("limit"), "2");
}

TEST(ParsedArgsTest, GetInt) {
  auto parsed = ParseArgs({"--limit", "42"}, Spec());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<int64_t> limit = parsed->GetInt("limit", 7, 1, 100);
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(*limit, 42);
  absl::StatusOr<int64_t> absent = parsed->GetInt("token", 7, 1, 100);
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_EQ(*absent, 7);
  absl::StatusOr<int64_t> too_big = parsed->GetInt("limit", 7, 1, 10);
  ASSERT_FALSE(too_big.ok());
  EXPECT_THAT(too_big.status().message(),
              HasSubstr("--limit must be between 1 and 10 (got 42)"));
}

TEST(ParsedArgsTest, GetIntRejectsNonNumbers) {
  for (const char* bad : {"ten", "4.5", "", "12abc"}) {
    auto parsed = ParseArgs({"--limit", bad}, Spec());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    absl::StatusOr<int64_t> limit = parsed->GetInt("limit", 7, 0, 100);
    ASSERT_FALSE(limit.ok()) << bad;
    EXPECT_EQ(limit.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(limit.status().message(), HasSubstr("--limit"));
    EXPECT_THAT(limit.status().message(),
                HasSubstr(absl::StrCat("'", bad, "'")));
  }
}

TEST(ParseIntFlagTest, TakesDecimalWholeNumbersInRange) {
  EXPECT_EQ(*ParseIntFlag("uses", "1", 1, 100000), 1);
  EXPECT_EQ(*ParseIntFlag("uses", "100000", 1, 100000), 100000);
  // Decimal even with a leading zero (CLI11 and strtol would read octal 8).
  EXPECT_EQ(*ParseIntFlag("uses", "010", 1, 100000), 10);
  EXPECT_EQ(*ParseIntFlag("after", "-3", -5, 5), -3);
}

TEST(ParseIntFlagTest, OutOfRangeIsNamedNotWrapped) {
  // 2^32 + 1 narrowed to int32 would be 1; 2^63 and beyond saturate in
  // strtoll.
  for (const char* bad :
       {"4294967297", "0", "-1", "100001", "9223372036854775808",
        "99999999999999999999", "-99999999999999999999"}) {
    absl::StatusOr<int64_t> v = ParseIntFlag("uses", bad, 1, 100000);
    ASSERT_FALSE(v.ok()) << bad << " parsed as " << *v;
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(v.status().message(),
                HasSubstr(absl::StrCat("--uses must be between 1 and 100000 "
                                       "(got ",
                                       bad, ")")));
  }
}

TEST(ParseIntFlagTest, OnlyOneSpellingOfANumber) {
  for (const char* bad : {"0x10", "+5", " 5", "5 ", "1e3", "-", "", "5-"}) {
    absl::StatusOr<int64_t> v = ParseIntFlag("limit", bad, 0, 1000);
    ASSERT_FALSE(v.ok()) << "'" << bad << "' parsed as " << *v;
    EXPECT_THAT(v.status().message(),
                HasSubstr(absl::StrCat("--limit needs a whole number, got '",
                                       bad, "'")));
  }
}

TEST(ParseDurationFlagTest, RangeAndSyntaxAreNamed) {
  auto ok =
      ParseDurationFlag("ttl", "24h", absl::Minutes(1), absl::Hours(24 * 365));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, absl::Hours(24));
  EXPECT_THAT(ParseDurationFlag("ttl", "0", absl::Minutes(1), absl::Hours(1))
                  .status()
                  .message(),
              HasSubstr("--ttl must be between 1m and 1h (got 0s)"));
  EXPECT_THAT(
      ParseDurationFlag("ttl", "99999999999d", absl::Minutes(1), absl::Hours(1))
          .status()
          .message(),
      HasSubstr("--ttl must be between 1m and 1h (got 99999999999d)"));
  EXPECT_THAT(ParseDurationFlag("ttl", "-5m", absl::Minutes(1), absl::Hours(1))
                  .status()
                  .message(),
              AllOf(HasSubstr("--ttl"), HasSubstr("allowed 1m to 1h")));
}

TEST(CheckEndpointFlagTest, NamesTheFlag) {
  EXPECT_TRUE(CheckEndpointFlag("server", "trellis.example:8443").ok());
  EXPECT_TRUE(CheckEndpointFlag("server", "[2001:db8::1]:443").ok());
  for (const char* bad : {"garbage", "127.0.0.1:99999", "127.0.0.1:0",
                          "2001:db8::1:443", "not an address", "h:-1", ""}) {
    absl::Status s = CheckEndpointFlag("server", bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(),
                AllOf(HasSubstr("--server: "), HasSubstr("port 1-65535")))
        << bad;
  }
}

TEST(ParseFlagsTest, TakesTheTablesFlagsAndNoStrayWords) {
  const std::vector<FlagDoc> docs = {{"state-dir", "DIR", "state"},
                                     {"json", "", "JSON"}};
  auto parsed = ParseFlags({"--json", "--state-dir", "/s"}, docs);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("state-dir"), "/s");
  EXPECT_TRUE(parsed->Has("json"));
  EXPECT_THAT(ParseFlags({"--json", "extra"}, docs).status().message(),
              HasSubstr("unexpected argument 'extra'"));
  EXPECT_THAT(ParseFlags({"--token", "t"}, docs).status().message(),
              HasSubstr("unknown option --token"));
}

TEST(FlagDocTest, SpecAndHelpComeFromTheSameTable) {
  std::vector<FlagDoc> docs = {
      {"state-dir", "DIR", "where the state is kept"},
      {"json", "", "print JSON"},
      {"a-rather-long-flag-name", "VALUE",
       "a help text long enough that it has to wrap onto a second line "
       "because it does not fit in one"}};
  ArgSpec spec = ArgSpecOf(docs);
  EXPECT_THAT(spec.value_flags,
              ElementsAre("a-rather-long-flag-name", "state-dir"));
  EXPECT_THAT(spec.bool_flags, ElementsAre("json"));
  std::string help = FormatFlagDocs(docs);
  EXPECT_THAT(help, HasSubstr("  --state-dir DIR "));
  EXPECT_THAT(help, HasSubstr("  --json "));
  EXPECT_THAT(help, HasSubstr("print JSON\n"));
  for (absl::string_view line : absl::StrSplit(help, '\n')) {
    EXPECT_LE(line.size(), 79u) << line;
  }
}

TEST(ParseHumanDurationTest, Units) {
  EXPECT_EQ(*ParseHumanDuration("90s"), absl::Seconds(90));
  EXPECT_EQ(*ParseHumanDuration("15m"), absl::Minutes(15));
  EXPECT_EQ(*ParseHumanDuration("24h"), absl::Hours(24));
  EXPECT_EQ(*ParseHumanDuration("7d"), absl::Hours(7 * 24));
  EXPECT_EQ(*ParseHumanDuration("0s"), absl::ZeroDuration());
}

TEST(ParseHumanDurationTest, PlainNumberIsSeconds) {
  absl::StatusOr<absl::Duration> d = ParseHumanDuration("3600");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, absl::Hours(1));
}

TEST(ParseHumanDurationTest, RejectsBadText) {
  for (const char* bad :
       {"", "s", "abc", "10x", "1.5h", "-5m", "10 days", "1099511627777s"}) {
    absl::StatusOr<absl::Duration> d = ParseHumanDuration(bad);
    ASSERT_FALSE(d.ok()) << "'" << bad << "' parsed as " << *d;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    if (*bad != '\0') {
      EXPECT_THAT(d.status().message(), HasSubstr(absl::StrCat("'", bad, "'")));
      EXPECT_THAT(d.status().message(), HasSubstr("90s"));
    }
  }
}

}  // namespace
}  // namespace trellis

namespace trellis {
namespace {

TEST(FormatHumanDurationTest, UsesTheLargestWholeUnit) {
  EXPECT_EQ(FormatHumanDuration(absl::Hours(24 * 30)), "30d");
  EXPECT_EQ(FormatHumanDuration(absl::Hours(24)), "1d");
  EXPECT_EQ(FormatHumanDuration(absl::Hours(5)), "5h");
  EXPECT_EQ(FormatHumanDuration(absl::Minutes(90)), "90m");
  EXPECT_EQ(FormatHumanDuration(absl::Seconds(90)), "90s");
  EXPECT_EQ(FormatHumanDuration(absl::ZeroDuration()), "0s");
}

TEST(FormatHumanDurationTest, RoundTripsThroughParse) {
  for (const char* text : {"10m", "365d", "2s", "5h", "3650d"}) {
    auto parsed = ParseHumanDuration(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(FormatHumanDuration(*parsed), text);
  }
}

}  // namespace
}  // namespace trellis
