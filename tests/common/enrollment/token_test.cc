#include "common/enrollment/token.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::enrollment {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Fingerprint() { return std::string(32, '\x5a'); }

// A syntactically valid token built from its parts, so each test can break
// exactly one of them.
struct Parts {
  std::string prefix = "trellis1";
  std::string id = "abcdefghijk23";
  std::string secret = Base64UrlEncode(std::string(32, '\x11'));
  std::string fingerprint = Base64UrlEncode(std::string(32, '\x5a'));
  std::string address = Base64UrlEncode("trellis.example.com:8443");
  std::string Join() const {
    return absl::StrJoin({prefix, id, secret, fingerprint, address}, ".");
  }
};

TEST(TokenTest, NewTokenHasFreshIdAndSecret) {
  EnrollmentToken a = NewToken(Fingerprint(), "127.0.0.1:8443");
  EnrollmentToken b = NewToken(Fingerprint(), "127.0.0.1:8443");
  EXPECT_TRUE(IsValidTokenId(a.token_id)) << a.token_id;
  EXPECT_EQ(a.secret.size(), kSecretBytes);
  EXPECT_EQ(a.ca_fingerprint_sha256, Fingerprint());
  EXPECT_EQ(a.server_address, "127.0.0.1:8443");
  EXPECT_NE(a.token_id, b.token_id);
  EXPECT_NE(a.secret, b.secret);
}

TEST(TokenTest, FormatStartsWithPrefixAndHasFiveParts) {
  EnrollmentToken t = NewToken(Fingerprint(), "host.example:443");
  const std::string text = FormatToken(t);
  EXPECT_EQ(text.rfind("trellis1.", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '.'), 4) << text;
  EXPECT_THAT(text, HasSubstr(absl::StrCat(".", t.token_id, ".")));
}

TEST(TokenTest, FormatParseRoundTrip) {
  EnrollmentToken t = NewToken(Fingerprint(), "[::1]:8443");
  absl::StatusOr<EnrollmentToken> parsed = ParseToken(FormatToken(t));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->token_id, t.token_id);
  EXPECT_EQ(parsed->secret, t.secret);
  EXPECT_EQ(parsed->ca_fingerprint_sha256, t.ca_fingerprint_sha256);
  EXPECT_EQ(parsed->server_address, "[::1]:8443");
}

TEST(TokenTest, ParseTrimsWhatCopyAndPasteAdds) {
  EnrollmentToken t = NewToken(Fingerprint(), "10.0.0.1:8443");
  const std::string text = FormatToken(t);
  for (const std::string& pasted :
       {text + "\n", text + "\r\n", "  " + text + "  ", " " + text + " \r\n"}) {
    absl::StatusOr<EnrollmentToken> parsed = ParseToken(pasted);
    ASSERT_TRUE(parsed.ok()) << parsed.status() << " for '" << pasted << "'";
    EXPECT_EQ(parsed->token_id, t.token_id);
    EXPECT_EQ(parsed->secret, t.secret);
    EXPECT_EQ(parsed->server_address, "10.0.0.1:8443");
  }
}

// Whitespace that copy and paste adds around a token is tolerated: a
// leading newline (selection began on the line above), tabs from a table.
TEST(TokenTest, ParseTrimsLeadingNewlineAndTabs) {
  EnrollmentToken t = NewToken(Fingerprint(), "10.0.0.1:8443");
  const std::string text = FormatToken(t);
  for (const std::string& pasted :
       {"\n" + text, "\r\n" + text + "\r\n", "\t" + text + "\t"}) {
    absl::StatusOr<EnrollmentToken> parsed = ParseToken(pasted);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->token_id, t.token_id);
  }
}

// A bracketed IPv6 literal without a port, and a port that is not a
// number, are refused with a clear message, not a later resolver error.
TEST(TokenTest, AddressNeedsANumericPortAfterIpv6Brackets) {
  for (const char* address : {"[2001:db8::1]", "[::1]", "host:https"}) {
    Parts p;
    p.address = Base64UrlEncode(address);
    absl::StatusOr<EnrollmentToken> parsed = ParseToken(p.Join());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << address;
  }
}

TEST(TokenTest, HelperBuildsAValidToken) {
  // Guards the table below: its base case must parse.
  absl::StatusOr<EnrollmentToken> parsed = ParseToken(Parts().Join());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->token_id, "abcdefghijk23");
  EXPECT_EQ(parsed->server_address, "trellis.example.com:8443");
}

struct BadTokenCase {
  std::string name;
  std::string text;
  std::string expected_message;
};

std::vector<BadTokenCase> BadTokens() {
  std::vector<BadTokenCase> cases;
  cases.push_back({"Empty", "", "malformed"});
  cases.push_back({"OnlyWhitespace", "  \n", "malformed"});
  {
    Parts p;
    p.prefix = "trellis2";
    cases.push_back({"WrongPrefix", p.Join(), "malformed"});
  }
  {
    Parts p;
    cases.push_back(
        {"FourParts",
         absl::StrJoin({p.prefix, p.id, p.secret, p.fingerprint}, "."),
         "malformed"});
  }
  {
    Parts p;
    cases.push_back({"SixParts", p.Join() + ".extra", "malformed"});
  }
  {
    Parts p;
    p.id = "ABCDEFGHIJK23";  // upper case is not the id alphabet
    cases.push_back({"UpperCaseId", p.Join(), "token id"});
  }
  {
    Parts p;
    p.id = "abcdefghijk01";  // 0 and 1 are not base32
    cases.push_back({"BadIdChars", p.Join(), "token id"});
  }
  {
    Parts p;
    p.id = "abcdefghijk2";
    cases.push_back({"ShortId", p.Join(), "token id"});
  }
  {
    Parts p;
    p.secret = Base64UrlEncode(std::string(31, '\x11'));
    cases.push_back({"ShortSecret", p.Join(), "secret part"});
  }
  {
    Parts p;
    p.secret = Base64UrlEncode(std::string(33, '\x11'));
    cases.push_back({"LongSecret", p.Join(), "secret part"});
  }
  {
    Parts p;
    p.secret[5] = '+';  // standard, not url, alphabet
    cases.push_back({"BadBase64Secret", p.Join(), "secret part"});
  }
  {
    Parts p;
    p.fingerprint = Base64UrlEncode(std::string(20, '\x5a'));
    cases.push_back({"ShortFingerprint", p.Join(), "CA fingerprint"});
  }
  {
    Parts p;
    p.address = "!!!";
    cases.push_back({"BadBase64Address", p.Join(), "server address"});
  }
  {
    Parts p;
    p.address = Base64UrlEncode("trellis.example.com");
    cases.push_back({"AddressWithoutPort", p.Join(), "no port"});
  }
  {
    Parts p;
    p.address = Base64UrlEncode("trellis.example.com:");
    cases.push_back({"AddressWithEmptyPort", p.Join(), "no port"});
  }
  {
    Parts p;
    p.address = Base64UrlEncode("evil\nhost:8443");
    cases.push_back({"AddressWithNewline", p.Join(), "non-printable"});
  }
  {
    Parts p;
    p.address = Base64UrlEncode(std::string("host\x01:8443"));
    cases.push_back({"AddressWithControlChar", p.Join(), "non-printable"});
  }
  {
    Parts p;
    p.address = Base64UrlEncode("host name:8443");
    cases.push_back({"AddressWithSpace", p.Join(), "non-printable"});
  }
  {
    Parts p;
    p.address = "";
    cases.push_back({"EmptyAddress", p.Join(), "empty or too long"});
  }
  {
    Parts p;
    // 262 bytes: one over the limit, while the whole token stays < 512.
    p.address = Base64UrlEncode(std::string(260, 'h') + ":1");
    cases.push_back({"OverlongAddress", p.Join(), "empty or too long"});
  }
  {
    Parts p;
    cases.push_back(
        {"Over512Chars", p.Join() + std::string(520, 'a'), "too long"});
  }
  return cases;
}

class BadTokenTest : public ::testing::TestWithParam<BadTokenCase> {};

TEST_P(BadTokenTest, IsInvalidArgumentWithoutEchoingTheSecret) {
  const BadTokenCase& c = GetParam();
  absl::StatusOr<EnrollmentToken> parsed = ParseToken(c.text);
  ASSERT_FALSE(parsed.ok()) << c.name;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
      << parsed.status();
  EXPECT_THAT(parsed.status().message(), HasSubstr(c.expected_message));
  // The secret part of the input must never show up in the error.
  EXPECT_THAT(parsed.status().message(), Not(HasSubstr(Parts().secret)));
  EXPECT_THAT(parsed.status().message(),
              Not(HasSubstr(Parts().secret.substr(0, 8))));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadTokenTest, ::testing::ValuesIn(BadTokens()),
    [](const ::testing::TestParamInfo<BadTokenCase>& info) {
      return info.param.name;
    });

TEST(TokenTest, ErrorForRealTokenNeverContainsItsSecret) {
  EnrollmentToken t = NewToken(Fingerprint(), "nohost");  // no port
  const std::string text = FormatToken(t);
  absl::StatusOr<EnrollmentToken> parsed = ParseToken(text);
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(),
              Not(HasSubstr(Base64UrlEncode(t.secret))));
  EXPECT_THAT(parsed.status().message(), Not(HasSubstr(t.secret)));
}

TEST(TokenTest, HashSecretIsSha256) {
  const std::string h = HashSecret("secret");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(HexEncode(HashSecret("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashSecret("secret"), h);
  EXPECT_NE(HashSecret("secret2"), h);
}

TEST(TokenTest, IsValidTokenId) {
  EXPECT_TRUE(IsValidTokenId("abcdefghijk23"));
  EXPECT_TRUE(IsValidTokenId("zzzzzzzzzzzz7"));
  EXPECT_FALSE(IsValidTokenId(""));
  EXPECT_FALSE(IsValidTokenId("abcdefghijk2"));    // 12
  EXPECT_FALSE(IsValidTokenId("abcdefghijk234"));  // 14
  EXPECT_FALSE(IsValidTokenId("abcdefghijk28"));   // 8 is not base32
  EXPECT_FALSE(IsValidTokenId("abcdefghijk21"));
  EXPECT_FALSE(IsValidTokenId("Abcdefghijk23"));
  EXPECT_FALSE(IsValidTokenId("abcdefghij-23"));
  EXPECT_FALSE(IsValidTokenId("abcdefghij 23"));
}

}  // namespace
}  // namespace trellis::enrollment
