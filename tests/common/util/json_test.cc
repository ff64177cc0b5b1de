#include "common/util/json.h"

#include <string>

#include "gtest/gtest.h"

namespace trellis {
namespace {

TEST(JsonQuoteTest, PlainText) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("hello world"), "\"hello world\"");
}

TEST(JsonQuoteTest, EscapesQuotesAndBackslash) {
  EXPECT_EQ(JsonQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(JsonQuote("C:\\dir"), "\"C:\\\\dir\"");
  EXPECT_EQ(JsonQuote("/"), "\"/\"");
}

TEST(JsonQuoteTest, EscapesControlCharacters) {
  EXPECT_EQ(JsonQuote("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
  EXPECT_EQ(JsonQuote(std::string("\x00", 1)), "\"\\u0000\"");
  EXPECT_EQ(JsonQuote("\x01\x1f"), "\"\\u0001\\u001f\"");
  EXPECT_EQ(JsonQuote("\b\f"), "\"\\u0008\\u000c\"");
}

TEST(JsonQuoteTest, ReplacesInvalidUtf8) {
  // A lone continuation byte, a truncated sequence and a byte never used.
  EXPECT_EQ(JsonQuote("a\x80z"), "\"a\xEF\xBF\xBDz\"");
  EXPECT_EQ(JsonQuote("\xC3"), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(JsonQuote("\xE2\x82"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(JsonQuote("\xFF"), "\"\xEF\xBF\xBD\"");
}

TEST(JsonQuoteTest, KeepsMultiByteCharacters) {
  EXPECT_EQ(JsonQuote("caf\xC3\xA9"), "\"caf\xC3\xA9\"");            // é
  EXPECT_EQ(JsonQuote("\xE2\x82\xAC"), "\"\xE2\x82\xAC\"");          // €
  EXPECT_EQ(JsonQuote("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");  // 😀
  EXPECT_EQ(JsonQuote("\xEF\xBF\xBD"), "\"\xEF\xBF\xBD\"");          // U+FFFD
}

// Output is always valid UTF-8: overlong encodings, surrogates and code
// points above U+10FFFF are replaced.
TEST(JsonQuoteTest, ReplacesOverlongSurrogateAndOutOfRangeSequences) {
  EXPECT_EQ(JsonQuote("\xC0\xAF").find("\xC0"), std::string::npos);
  EXPECT_EQ(JsonQuote("\xED\xA0\x80").find("\xED\xA0\x80"), std::string::npos);
  EXPECT_EQ(JsonQuote("\xF5\x80\x80\x80").find("\xF5"), std::string::npos);
}

TEST(JsonObjectTest, EmptyObject) { EXPECT_EQ(JsonObject().Build(), "{}"); }

TEST(JsonObjectTest, KeepsInsertionOrderAndTypes) {
  JsonObject o;
  o.Add("zeta", "last-letter")
      .Add("alpha", int64_t{-42})
      .Add("flag", true)
      .Add("off", false)
      .Add("name", std::string("x\"y"));
  EXPECT_EQ(o.Build(),
            "{\"zeta\":\"last-letter\",\"alpha\":-42,\"flag\":true,"
            "\"off\":false,\"name\":\"x\\\"y\"}");
}

TEST(JsonObjectTest, StringLiteralIsNotTreatedAsBool) {
  // A const char* must pick the string overload, not bool.
  JsonObject o;
  o.Add("k", "v");
  EXPECT_EQ(o.Build(), "{\"k\":\"v\"}");
}

TEST(JsonObjectTest, LargeIntegers) {
  JsonObject o;
  o.Add("max", int64_t{9223372036854775807}).Add("zero", int64_t{0});
  EXPECT_EQ(o.Build(), "{\"max\":9223372036854775807,\"zero\":0}");
}

TEST(JsonObjectTest, EscapesKeys) {
  JsonObject o;
  o.Add("we\"ird\n", "v");
  EXPECT_EQ(o.Build(), "{\"we\\\"ird\\n\":\"v\"}");
}

}  // namespace
}  // namespace trellis
