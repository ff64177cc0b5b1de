#include "server/validation/fields.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;

TEST(CheckTextTest, AcceptsOrdinaryText) {
  EXPECT_TRUE(CheckText("hostname", "laptop-7.example.com", 253).ok());
  EXPECT_TRUE(CheckText("hostname", "", 253).ok());
  EXPECT_TRUE(CheckText("os_name", "Debian GNU/Linux 12 (bookworm)", 128).ok());
}

TEST(CheckTextTest, AcceptsMultiByteUtf8) {
  EXPECT_TRUE(
      CheckText("hostname", "caf\xC3\xA9-\xE2\x82\xAC-\xF0\x9F\x98\x80", 253)
          .ok());
  // A genuine U+FFFD is valid text.
  EXPECT_TRUE(CheckText("f", "\xEF\xBF\xBD", 10).ok());
}

TEST(CheckTextTest, LengthLimitIsInBytes) {
  EXPECT_TRUE(CheckText("f", std::string(10, 'a'), 10).ok());
  absl::Status s = CheckText("description.hostname", std::string(11, 'a'), 10);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("description.hostname"));
  EXPECT_THAT(s.message(), HasSubstr("too long (11 bytes, at most 10)"));
  // Five two-byte characters are ten bytes.
  EXPECT_TRUE(
      CheckText("f", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 10).ok());
  EXPECT_FALSE(
      CheckText("f", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 10)
          .ok());
}

TEST(CheckTextTest, RejectsControlCharacters) {
  for (const std::string& bad :
       {std::string("a\nb"), std::string("a\rb"), std::string("a\tb"),
        std::string("a\x1b[31m"), std::string("a\x7f"),
        std::string("a\0b", 3)}) {
    absl::Status s = CheckText("description.os_name", bad, 128);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("description.os_name"));
    EXPECT_THAT(s.message(), HasSubstr("control character"));
  }
}

TEST(CheckTextTest, RejectsC1ControlCharacters) {
  // U+0080, U+009B (CSI) and U+009F as UTF-8.
  for (const std::string& bad : {std::string("a\xC2\x80"),
                                 std::string("Debian \xC2\x9b"
                                             "2J"),
                                 std::string("\xC2\x9F")}) {
    absl::Status s = CheckText("os_name", bad, 128);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("os_name contains a control character"));
  }
  // U+00A0 and U+00E9 follow the same lead byte and are ordinary text.
  EXPECT_TRUE(CheckText("os_name",
                        "a\xC2\xA0"
                        "b \xC3\xA9",
                        128)
                  .ok());
}

TEST(CheckTextTest, RejectsInvalidUtf8) {
  for (const std::string& bad :
       {std::string("\xFF"), std::string("abc\x80"), std::string("\xC3"),
        std::string("\xE2\x82"), std::string("ok\xC3(")}) {
    absl::Status s = CheckText("hostname", bad, 128);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("hostname is not valid UTF-8"));
  }
}

// Invalid bytes next to a genuine U+FFFD must still be caught.
TEST(CheckTextTest, RejectsInvalidUtf8NextToReplacementCharacter) {
  absl::Status s = CheckText("hostname", "\xEF\xBF\xBD\xFF", 128);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr("not valid UTF-8"));
}

// Overlong forms ("\xC0\xAF" is a two-byte '/', a classic filter
// bypass), UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
TEST(CheckTextTest, RejectsOverlongAndSurrogateEncodings) {
  for (const std::string& bad :
       {std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"),
        std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    absl::Status s = CheckText("hostname", bad, 128);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << "accepted bytes of length " << bad.size();
  }
}

TEST(CheckTextTest, Required) {
  absl::Status s = CheckText("group", "", 64, /*required=*/true);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("group is required"));
  EXPECT_TRUE(CheckText("group", "x", 64, /*required=*/true).ok());
}

TEST(CheckNameTest, AcceptsAllowedCharacters) {
  EXPECT_TRUE(CheckName("group", "eng").ok());
  EXPECT_TRUE(CheckName("group", "Eng.Team_2-EU").ok());
  EXPECT_TRUE(CheckName("group", std::string(64, 'a')).ok());
  EXPECT_TRUE(CheckName("group", "a").ok());
}

TEST(CheckNameTest, RejectsEmptyAndOverlong) {
  for (const std::string& bad : {std::string(), std::string(65, 'a')}) {
    absl::Status s = CheckName("operator name", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("operator name must be 1 to 64"));
  }
}

TEST(CheckNameTest, RejectsOtherCharacters) {
  for (const char* bad : {"has space", "slash/", "semi;colon", "caf\xC3\xA9",
                          "new\nline", "quote'", "at@host"}) {
    absl::Status s = CheckName("group", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("group may contain only"));
  }
}

}  // namespace
}  // namespace trellis::server
