#include "common/util/encoding.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis {
namespace {

using ::testing::Eq;
using ::testing::Optional;

std::string AllBytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(HexTest, EncodesLowerCase) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

TEST(HexTest, DecodesEitherCase) {
  EXPECT_THAT(HexDecode("0001abff"),
              Optional(Eq(std::string("\x00\x01\xab\xff", 4))));
  EXPECT_THAT(HexDecode("0001ABFF"),
              Optional(Eq(std::string("\x00\x01\xab\xff", 4))));
  EXPECT_THAT(HexDecode(""), Optional(Eq("")));
}

TEST(HexTest, RoundTripsAllBytes) {
  EXPECT_THAT(HexDecode(HexEncode(AllBytes())), Optional(Eq(AllBytes())));
}

TEST(HexTest, RejectsOddLengthAndBadCharacters) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("0g"), std::nullopt);
  EXPECT_EQ(HexDecode("0 "), std::nullopt);
  EXPECT_EQ(HexDecode("-1"), std::nullopt);
  EXPECT_EQ(HexDecode(std::string("0\0", 2)), std::nullopt);
}

// RFC 4648 section 10 vectors, padding removed.
TEST(Base64UrlTest, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_THAT(Base64UrlDecode("Zm9vYmFy"), Optional(Eq("foobar")));
  EXPECT_THAT(Base64UrlDecode("Zm9vYmE"), Optional(Eq("fooba")));
  EXPECT_THAT(Base64UrlDecode("Zm9vYg"), Optional(Eq("foob")));
  EXPECT_THAT(Base64UrlDecode(""), Optional(Eq("")));
}

TEST(Base64UrlTest, UsesUrlAlphabet) {
  // 0xfb 0xff encodes to "+/8" in standard base64.
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_THAT(Base64UrlDecode("-_8"), Optional(Eq("\xfb\xff")));
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  const std::string all = AllBytes();
  for (size_t len = 0; len <= all.size(); ++len) {
    const std::string data = all.substr(all.size() - len);
    const std::string encoded = Base64UrlEncode(data);
    EXPECT_EQ(encoded.find('='), std::string::npos);
    EXPECT_THAT(Base64UrlDecode(encoded), Optional(Eq(data))) << len;
  }
}

TEST(Base64UrlTest, RejectsPadding) {
  EXPECT_EQ(Base64UrlDecode("Zg=="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm8="), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("===="), std::nullopt);
}

TEST(Base64UrlTest, RejectsWhitespace) {
  EXPECT_EQ(Base64UrlDecode("Zm9v YmFy"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9v\nYmFy"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vYmFy\n"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode(" Zm9v"), std::nullopt);
}

TEST(Base64UrlTest, RejectsCharactersOutsideAlphabet) {
  EXPECT_EQ(Base64UrlDecode("+/8"), std::nullopt);  // Standard alphabet.
  EXPECT_EQ(Base64UrlDecode("Zm9v!"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode(std::string("Zm\0v", 4)), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9\xc3\xa9"), std::nullopt);
}

TEST(Base64UrlTest, RejectsImpossibleLength) {
  EXPECT_EQ(Base64UrlDecode("Z"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9vY"), std::nullopt);
}

TEST(Base64UrlTest, RejectsNonZeroTrailingBits) {
  // "Zg" is "f"; "Zh" would decode to the same byte with a stray low bit.
  EXPECT_EQ(Base64UrlDecode("Zh"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Zm9"), std::nullopt);  // "Zm8" is canonical.
}

// RFC 4648 section 10 vectors, lower case, padding removed.
TEST(Base32Test, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "my");
  EXPECT_EQ(Base32Encode("fo"), "mzxq");
  EXPECT_EQ(Base32Encode("foo"), "mzxw6");
  EXPECT_EQ(Base32Encode("foob"), "mzxw6yq");
  EXPECT_EQ(Base32Encode("fooba"), "mzxw6ytb");
  EXPECT_EQ(Base32Encode("foobar"), "mzxw6ytboi");
}

TEST(Base32Test, UsesOnlyLowerCaseAlphabet) {
  const std::string encoded = Base32Encode(AllBytes());
  EXPECT_EQ(encoded.size(), (256 * 8 + 4) / 5);
  EXPECT_EQ(encoded.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"),
            std::string::npos);
}

}  // namespace
}  // namespace trellis
