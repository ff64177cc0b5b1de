#include "agent/facts/os_release.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ParseOsReleaseTest, EmptyText) {
  EXPECT_THAT(ParseOsRelease(""), IsEmpty());
}

TEST(ParseOsReleaseTest, UnquotedValues) {
  EXPECT_THAT(ParseOsRelease("ID=debian\nVERSION_ID=12\n"),
              ElementsAre(Pair("ID", "debian"), Pair("VERSION_ID", "12")));
}

TEST(ParseOsReleaseTest, DoubleQuotedValues) {
  EXPECT_THAT(ParseOsRelease("NAME=\"Debian GNU/Linux\"\nEMPTY=\"\"\n"),
              ElementsAre(Pair("EMPTY", ""), Pair("NAME", "Debian GNU/Linux")));
}

TEST(ParseOsReleaseTest, SingleQuotedValuesKeepBackslashes) {
  EXPECT_THAT(ParseOsRelease("NAME='My OS'\nPATHISH='a\\b'\n"),
              ElementsAre(Pair("NAME", "My OS"), Pair("PATHISH", "a\\b")));
}

TEST(ParseOsReleaseTest, EscapesInDoubleQuotes) {
  EXPECT_THAT(
      ParseOsRelease("PRETTY_NAME=\"The \\\"Best\\\" OS \\$5 \\\\ \\`x\\`\"\n"),
      ElementsAre(Pair("PRETTY_NAME", "The \"Best\" OS $5 \\ `x`")));
}

TEST(ParseOsReleaseTest, EmptyUnquotedValue) {
  EXPECT_THAT(ParseOsRelease("VARIANT=\n"), ElementsAre(Pair("VARIANT", "")));
}

TEST(ParseOsReleaseTest, CommentsAndBlankLinesAreSkipped) {
  EXPECT_THAT(ParseOsRelease("# ID=commented\n\n   \n  # NAME=x\nID=arch\n"),
              ElementsAre(Pair("ID", "arch")));
}

TEST(ParseOsReleaseTest, SurroundingWhitespaceAndCrlfAreTrimmed) {
  EXPECT_THAT(ParseOsRelease("  ID=fedora  \r\nNAME=\"Fedora Linux\"\r\n"),
              ElementsAre(Pair("ID", "fedora"), Pair("NAME", "Fedora Linux")));
}

TEST(ParseOsReleaseTest, MalformedLinesAreSkipped) {
  const char* text =
      "no equals sign here\n"
      "lower=case key\n"
      "=novalue\n"
      "BAD-KEY=x\n"
      "KEY WITH SPACE=x\n"
      "UNTERMINATED=\"abc\n"
      "MISMATCHED=\"abc'\n"
      "LONE_QUOTE=\"\n"
      "GOOD=yes\n";
  EXPECT_THAT(ParseOsRelease(text), ElementsAre(Pair("GOOD", "yes")));
}

TEST(ParseOsReleaseTest, ValueMayContainEquals) {
  EXPECT_THAT(ParseOsRelease("HOME_URL=\"https://x.org/?a=b\"\n"),
              ElementsAre(Pair("HOME_URL", "https://x.org/?a=b")));
}

TEST(ParseOsReleaseTest, LaterDuplicateWins) {
  EXPECT_THAT(ParseOsRelease("ID=one\nID=two\n"),
              ElementsAre(Pair("ID", "two")));
}

TEST(ParseOsReleaseTest, NoTrailingNewline) {
  EXPECT_THAT(ParseOsRelease("ID=alpine"), ElementsAre(Pair("ID", "alpine")));
}

// In NAME="abc\" the final quote is escaped, so the string never closes:
// the line is malformed and skipped.
TEST(ParseOsReleaseTest, EscapedClosingQuoteIsUnterminated) {
  EXPECT_THAT(ParseOsRelease("NAME=\"abc\\\"\nID=ok\n"),
              ElementsAre(Pair("ID", "ok")));
}

TEST(ParseOsReleaseTest, DebianSample) {
  const char* text =
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
      "NAME=\"Debian GNU/Linux\"\n"
      "VERSION_ID=\"12\"\n"
      "VERSION=\"12 (bookworm)\"\n"
      "VERSION_CODENAME=bookworm\n"
      "ID=debian\n"
      "HOME_URL=\"https://www.debian.org/\"\n"
      "SUPPORT_URL=\"https://www.debian.org/support\"\n"
      "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n";
  std::map<std::string, std::string> m = ParseOsRelease(text);
  EXPECT_EQ(m.size(), 9u);
  EXPECT_EQ(m["PRETTY_NAME"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(m["NAME"], "Debian GNU/Linux");
  EXPECT_EQ(m["VERSION_ID"], "12");
  EXPECT_EQ(m["VERSION"], "12 (bookworm)");
  EXPECT_EQ(m["VERSION_CODENAME"], "bookworm");
  EXPECT_EQ(m["ID"], "debian");
  EXPECT_EQ(m["HOME_URL"], "https://www.debian.org/");
}

TEST(ParseOsReleaseTest, UbuntuLikeSample) {
  const char* text =
      "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n"
      "NAME=\"Ubuntu\"\n"
      "VERSION_ID=\"22.04\"\n"
      "VERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\n"
      "VERSION_CODENAME=jammy\n"
      "ID=ubuntu\n"
      "ID_LIKE=debian\n"
      "HOME_URL=\"https://www.ubuntu.com/\"\n"
      "PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/"
      "privacy-policy\"\n"
      "UBUNTU_CODENAME=jammy\n";
  std::map<std::string, std::string> m = ParseOsRelease(text);
  EXPECT_EQ(m.size(), 10u);
  EXPECT_EQ(m["PRETTY_NAME"], "Ubuntu 22.04.4 LTS");
  EXPECT_EQ(m["NAME"], "Ubuntu");
  EXPECT_EQ(m["VERSION_ID"], "22.04");
  EXPECT_EQ(m["VERSION"], "22.04.4 LTS (Jammy Jellyfish)");
  EXPECT_EQ(m["ID"], "ubuntu");
  EXPECT_EQ(m["ID_LIKE"], "debian");
  EXPECT_EQ(m["UBUNTU_CODENAME"], "jammy");
}

}  // namespace
}  // namespace trellis::agent
