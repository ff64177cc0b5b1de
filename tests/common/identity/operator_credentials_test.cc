#include "common/identity/operator_credentials.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::identity {
namespace {

using ::testing::HasSubstr;

// Real PEM material, so the blocks look exactly like what the server writes.
class OperatorCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time now = absl::Now();
    auto ca =
        crypto::CertificateAuthority::Create("Test CA", now, absl::Hours(24));
    ASSERT_TRUE(ca.ok()) << ca.status();
    auto keys = crypto::GenerateKeyPair();
    ASSERT_TRUE(keys.ok()) << keys.status();
    crypto::CertRequest req;
    req.public_key_pem = keys->public_key_pem;
    req.common_name = "alice";
    req.organizational_unit = "operator";
    req.not_before = now;
    req.not_after = now + absl::Hours(1);
    auto cert = ca->Issue(req);
    ASSERT_TRUE(cert.ok()) << cert.status();
    creds_.server_address = "trellis.example.com:8443";
    creds_.operator_name = "alice";
    creds_.role = "admin";
    creds_.certificate_pem = *cert;
    creds_.private_key_pem = keys->private_key_pem;
    creds_.ca_certificate_pem = ca->certificate_pem();
  }

  OperatorCredentials creds_;
};

TEST_F(OperatorCredentialsTest, FormatParseRoundTrip) {
  const std::string text = FormatOperatorCredentials(creds_);
  EXPECT_THAT(text, HasSubstr("server: trellis.example.com:8443\n"));
  EXPECT_THAT(text, HasSubstr("operator: alice\n"));
  EXPECT_THAT(text, HasSubstr("role: admin\n"));
  absl::StatusOr<OperatorCredentials> parsed = ParseOperatorCredentials(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->server_address, creds_.server_address);
  EXPECT_EQ(parsed->operator_name, "alice");
  EXPECT_EQ(parsed->role, "admin");
  EXPECT_EQ(parsed->certificate_pem, creds_.certificate_pem);
  EXPECT_EQ(parsed->private_key_pem, creds_.private_key_pem);
  EXPECT_EQ(parsed->ca_certificate_pem, creds_.ca_certificate_pem);
  // The parsed blocks are usable PEM again.
  auto info = crypto::ParseCertificate(parsed->certificate_pem);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->common_name, "alice");
  EXPECT_EQ(*crypto::PublicKeyFromPrivate(parsed->private_key_pem),
            info->public_key_pem);
}

TEST_F(OperatorCredentialsTest, ToleratesCommentsBlankLinesAndCrlf) {
  const std::string text = absl::StrCat(
      "# comment\r\n\r\n  server:  10.0.0.1:8443  \r\n# another\r\n"
      "operator: bob\r\nrole: auditor\r\n",
      creds_.certificate_pem, creds_.private_key_pem,
      creds_.ca_certificate_pem);
  absl::StatusOr<OperatorCredentials> parsed = ParseOperatorCredentials(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->server_address, "10.0.0.1:8443");
  EXPECT_EQ(parsed->operator_name, "bob");
  EXPECT_EQ(parsed->role, "auditor");
}

TEST_F(OperatorCredentialsTest, MissingServerLineIsRejected) {
  OperatorCredentials c = creds_;
  c.server_address = "";
  const std::string with_empty = FormatOperatorCredentials(c);
  absl::StatusOr<OperatorCredentials> parsed =
      ParseOperatorCredentials(with_empty);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("server:"));

  const std::string without_line =
      absl::StrCat("operator: alice\nrole: admin\n", creds_.certificate_pem,
                   creds_.private_key_pem, creds_.ca_certificate_pem);
  parsed = ParseOperatorCredentials(without_line);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("server:"));
}

TEST_F(OperatorCredentialsTest, WrongNumberOfPemBlocksIsRejected) {
  const std::string header = "server: h:1\noperator: alice\nrole: admin\n";
  for (const std::string& body :
       {std::string(), creds_.certificate_pem,
        absl::StrCat(creds_.certificate_pem, creds_.private_key_pem),
        absl::StrCat(creds_.certificate_pem, creds_.private_key_pem,
                     creds_.ca_certificate_pem, creds_.ca_certificate_pem)}) {
    absl::StatusOr<OperatorCredentials> parsed =
        ParseOperatorCredentials(header + body);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(),
                HasSubstr("expected a certificate, a private key and the CA "
                          "certificate"));
  }
}

TEST_F(OperatorCredentialsTest, BlocksInTheWrongOrderAreRejected) {
  const std::string text =
      absl::StrCat("server: h:1\n", creds_.private_key_pem,
                   creds_.certificate_pem, creds_.ca_certificate_pem);
  absl::StatusOr<OperatorCredentials> parsed = ParseOperatorCredentials(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("in that order"));
}

TEST_F(OperatorCredentialsTest, UnknownKeyLineIsRejectedNamingIt) {
  const std::string text =
      absl::StrCat("server: h:1\ncolour: blue\n", creds_.certificate_pem,
                   creds_.private_key_pem, creds_.ca_certificate_pem);
  absl::StatusOr<OperatorCredentials> parsed = ParseOperatorCredentials(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("unknown line 'colour:'"));
}

}  // namespace
}  // namespace trellis::identity
