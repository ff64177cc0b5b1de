#include "common/util/args.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis {
namespace {

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
  absl::StatusOr<int64_t> limit = parsed->GetInt("limit", 7);
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(*limit, 42);
  absl::StatusOr<int64_t> absent = parsed->GetInt("token", 7);
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_EQ(*absent, 7);
}

TEST(ParsedArgsTest, GetIntRejectsNonNumbers) {
  for (const char* bad : {"ten", "4.5", "", "12abc"}) {
    auto parsed = ParseArgs({"--limit", bad}, Spec());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    absl::StatusOr<int64_t> limit = parsed->GetInt("limit", 7);
    ASSERT_FALSE(limit.ok()) << bad;
    EXPECT_EQ(limit.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(limit.status().message(), HasSubstr("--limit"));
    EXPECT_THAT(limit.status().message(),
                HasSubstr(absl::StrCat("'", bad, "'")));
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
