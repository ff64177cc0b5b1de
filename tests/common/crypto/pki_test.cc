#include "common/crypto/pki.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto/digest.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::crypto {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// --- OpenSSL helpers the tests use to build inputs and inspect outputs -----

struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct ReqFree {
  void operator()(X509_REQ* p) const { X509_REQ_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using ReqPtr = std::unique_ptr<X509_REQ, ReqFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

PkeyPtr ReadPrivateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

X509Ptr ReadCert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string PrivatePem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                           nullptr);
  return BioText(bio.get());
}

std::string PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  return BioText(bio.get());
}

PkeyPtr RsaKey() { return PkeyPtr(EVP_RSA_gen(2048)); }
PkeyPtr EcKey(const char* curve) { return PkeyPtr(EVP_EC_gen(curve)); }

// A CSR for `subject_key`'s public key whose signature is made by `signer`.
std::string RawCsr(EVP_PKEY* subject_key, EVP_PKEY* signer) {
  ReqPtr req(X509_REQ_new());
  X509_NAME_add_entry_by_txt(
      X509_REQ_get_subject_name(req.get()), "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("test"), -1, -1, 0);
  X509_REQ_set_pubkey(req.get(), subject_key);
  X509_REQ_sign(req.get(), signer, EVP_sha256());
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return BioText(bio.get());
}

// PEM <-> DER for the CSR, so a test can damage bytes under the base64.
std::string CsrDer(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  unsigned char* der = nullptr;
  const int len = i2d_X509_REQ(req.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string DerToPem(const std::string& der, const char* label) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio(bio.get(), label, "",
                reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  return BioText(bio.get());
}

bool ExtensionIsCritical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 &&
         X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

// subjectAltName entries as "DNS:x" / "IP:x" strings.
std::vector<std::string> SubjectAltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.push_back(absl::StrCat(
          "DNS:",
          std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                      ASN1_STRING_length(dns))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {0};
      inet_ntop(ip->length == 4 ? AF_INET : AF_INET6, ip->data, text,
                sizeof(text));
      out.push_back(absl::StrCat("IP:", text));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

// A self-signed CA made directly with OpenSSL, without subjectKeyIdentifier
// (as older tooling produced). Returns {cert PEM, key PEM}.
std::pair<std::string, std::string> CaWithoutKeyId(absl::Time now) {
  PkeyPtr key = EcKey("prime256v1");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 42);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Old CA"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), absl::ToTimeT(now));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                absl::ToTimeT(now + absl::Hours(24 * 365)));
  X509_set_pubkey(cert.get(), key.get());
  X509V3_CTX ctx{};
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair<int, const char*>{NID_basic_constraints, "critical,CA:TRUE"},
        {NID_key_usage, "critical,keyCertSign,cRLSign"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(cert.get(), key.get(), EVP_sha256());
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert.get());
  return {BioText(bio.get()), PrivatePem(key.get())};
}

void ExpectNoOpenSslErrorsLeft() {
  EXPECT_EQ(ERR_peek_error(), 0u) << "OpenSSL error queue not cleared";
}

// --- Fixture
// -------------------------------------------------------------------

class PkiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto ca = CertificateAuthority::Create("Trellis Test CA", Now(),
                                           absl::Hours(24 * 365));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = new CertificateAuthority(*std::move(ca));
  }
  static void TearDownTestSuite() {
    delete ca_;
    ca_ = nullptr;
  }

  // A fixed whole-second time, so certificate times compare exactly.
  static absl::Time Now() { return absl::FromUnixSeconds(1'750'000'000); }

  static KeyPair NewKeys() {
    auto keys = GenerateKeyPair();
    EXPECT_TRUE(keys.ok()) << keys.status();
    return keys.ok() ? *keys : KeyPair{};
  }

  static CertRequest ClientRequest(const KeyPair& keys) {
    CertRequest request;
    request.public_key_pem = keys.public_key_pem;
    request.common_name = "device-1234";
    request.organizational_unit = "device";
    request.usage = CertUsage::kClient;
    request.not_before = Now();
    request.not_after = Now() + absl::Hours(24 * 30);
    return request;
  }

  static std::string IssueOrDie(const CertRequest& request) {
    auto cert = ca_->Issue(request);
    EXPECT_TRUE(cert.ok()) << cert.status();
    return cert.ok() ? *cert : "";
  }

  static CertificateAuthority* ca_;
};

CertificateAuthority* PkiTest::ca_ = nullptr;

// --- Keys
// ----------------------------------------------------------------------

TEST_F(PkiTest, GenerateKeyPairWritesPkcs8AndSpki) {
  const KeyPair keys = NewKeys();
  EXPECT_THAT(keys.private_key_pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(keys.public_key_pem, StartsWith("-----BEGIN PUBLIC KEY-----"));
  PkeyPtr key = ReadPrivateKey(keys.private_key_pem);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
  char group[64];
  size_t len = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &len), 1);
  EXPECT_EQ(std::string(group, len), "prime256v1");
}

TEST_F(PkiTest, PublicKeyFromPrivateRoundTrips) {
  const KeyPair keys = NewKeys();
  auto public_pem = PublicKeyFromPrivate(keys.private_key_pem);
  ASSERT_TRUE(public_pem.ok()) << public_pem.status();
  EXPECT_EQ(*public_pem, keys.public_key_pem);
}

TEST_F(PkiTest, GeneratedKeysAreDistinct) {
  const KeyPair a = NewKeys();
  const KeyPair b = NewKeys();
  EXPECT_NE(a.private_key_pem, b.private_key_pem);
  EXPECT_NE(a.public_key_pem, b.public_key_pem);
}

TEST_F(PkiTest, PublicKeyFromPrivateRejectsBadInput) {
  auto empty = PublicKeyFromPrivate("");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("private key is empty"));

  auto garbage = PublicKeyFromPrivate("not a key");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.status().message(),
              HasSubstr("private key is not valid PEM"));

  // A public key is not a private key.
  auto public_only = PublicKeyFromPrivate(NewKeys().public_key_pem);
  EXPECT_THAT(public_only.status().message(),
              HasSubstr("private key is not valid PEM"));
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, EncryptedPrivateKeyIsRejectedWithoutPrompting) {
  PkeyPtr key = EcKey("prime256v1");
  BioPtr bio(BIO_new(BIO_s_mem()));
  char passphrase[] = "hunter2";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(
                bio.get(), key.get(), EVP_aes_256_cbc(), passphrase,
                sizeof(passphrase) - 1, nullptr, nullptr),
            1);
  auto result = PublicKeyFromPrivate(BioText(bio.get()));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("private key is not valid PEM"));
}

TEST_F(PkiTest, PublicKeySha256IsSha256OfSpkiDer) {
  const KeyPair keys = NewKeys();
  auto hash = PublicKeySha256(keys.public_key_pem);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(hash->size(), 32u);

  PkeyPtr key = ReadPrivateKey(keys.private_key_pem);
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key.get(), &der);
  ASSERT_GT(len, 0);
  const std::string expected =
      Sha256(std::string(reinterpret_cast<char*>(der), len));
  OPENSSL_free(der);
  EXPECT_EQ(*hash, expected);

  EXPECT_EQ(*PublicKeySha256(keys.public_key_pem), *hash);  // Stable.
  EXPECT_NE(*PublicKeySha256(NewKeys().public_key_pem), *hash);
}

TEST_F(PkiTest, PublicKeySha256RejectsBadInput) {
  EXPECT_THAT(PublicKeySha256("").status().message(),
              HasSubstr("public key is empty"));
  auto garbage = PublicKeySha256(
      "-----BEGIN PUBLIC KEY-----\nAAAA\n"
      "-----END PUBLIC KEY-----\n");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.status().message(),
              HasSubstr("public key is not valid PEM"));
  ExpectNoOpenSslErrorsLeft();
}

// --- CSRs
// ----------------------------------------------------------------------

TEST_F(PkiTest, CsrRoundTripsPublicKey) {
  const KeyPair keys = NewKeys();
  auto csr = MakeCsr(keys.private_key_pem, "laptop-7");
  ASSERT_TRUE(csr.ok()) << csr.status();
  EXPECT_THAT(*csr, StartsWith("-----BEGIN CERTIFICATE REQUEST-----"));
  auto public_pem = PublicKeyFromCsr(*csr);
  ASSERT_TRUE(public_pem.ok()) << public_pem.status();
  EXPECT_EQ(*public_pem, keys.public_key_pem);
}

TEST_F(PkiTest, CsrWithEmptyCommonNameIsFine) {
  const KeyPair keys = NewKeys();
  auto csr = MakeCsr(keys.private_key_pem, "");
  ASSERT_TRUE(csr.ok()) << csr.status();
  EXPECT_EQ(*PublicKeyFromCsr(*csr), keys.public_key_pem);
}

TEST_F(PkiTest, MakeCsrRejectsBadKeys) {
  EXPECT_THAT(MakeCsr("junk", "x").status().message(),
              HasSubstr("private key is not valid PEM"));
  PkeyPtr rsa = RsaKey();
  auto from_rsa = MakeCsr(PrivatePem(rsa.get()), "x");
  EXPECT_EQ(from_rsa.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(from_rsa.status().message(),
              HasSubstr("private key is not EC P-256 (got RSA)"));
  EXPECT_THAT(MakeCsr(NewKeys().private_key_pem, std::string(65, 'a'))
                  .status()
                  .message(),
              HasSubstr("common_name is longer than 64"));
}

TEST_F(PkiTest, CsrWithCorruptedSignatureIsRejected) {
  const KeyPair keys = NewKeys();
  auto csr = MakeCsr(keys.private_key_pem, "device");
  ASSERT_TRUE(csr.ok());
  std::string der = CsrDer(*csr);
  // The DER ends with the ECDSA signature's s value; damage its last byte.
  der.back() ^= 0x01;
  auto result = PublicKeyFromCsr(DerToPem(der, "CERTIFICATE REQUEST"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("CSR signature does not verify"));
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, CsrSignedByAnotherKeyIsRejected) {
  PkeyPtr claimed = EcKey("prime256v1");
  PkeyPtr signer = EcKey("prime256v1");
  auto result = PublicKeyFromCsr(RawCsr(claimed.get(), signer.get()));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("CSR signature does not verify"));
}

TEST_F(PkiTest, CsrWithCorruptedKeyIsRejected) {
  const KeyPair keys = NewKeys();
  std::string der = CsrDer(*MakeCsr(keys.private_key_pem, "device"));
  // The uncompressed EC point starts with 0x04 right after the BIT STRING
  // header; breaking it makes the key unparseable.
  const size_t point = der.find(std::string("\x03\x42\x00\x04", 4));
  ASSERT_NE(point, std::string::npos);
  der[point + 3] = 0x07;
  auto result = PublicKeyFromCsr(DerToPem(der, "CERTIFICATE REQUEST"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("CSR"));
}

TEST_F(PkiTest, RsaCsrIsRejected) {
  PkeyPtr rsa = RsaKey();
  const std::string csr = RawCsr(rsa.get(), rsa.get());
  auto result = PublicKeyFromCsr(csr);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("CSR key is not EC P-256 (got RSA)"));
}

TEST_F(PkiTest, OtherCurveCsrIsRejected) {
  PkeyPtr p384 = EcKey("secp384r1");
  auto result = PublicKeyFromCsr(RawCsr(p384.get(), p384.get()));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(),
              HasSubstr("CSR key is not EC P-256 (got EC secp384r1)"));
}

TEST_F(PkiTest, MalformedCsrPemIsRejected) {
  auto empty = PublicKeyFromCsr("");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("CSR is empty"));

  auto garbage = PublicKeyFromCsr("hello, I am a CSR");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.status().message(), HasSubstr("CSR is not valid PEM"));
  // The OpenSSL reason is included.
  EXPECT_THAT(garbage.status().message(), HasSubstr("no start line"));

  const std::string csr = *MakeCsr(NewKeys().private_key_pem, "device");
  auto truncated = PublicKeyFromCsr(csr.substr(0, csr.size() / 2));
  EXPECT_EQ(truncated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(truncated.status().message(), HasSubstr("CSR is not valid PEM"));

  // A certificate is not a CSR.
  auto cert = PublicKeyFromCsr(ca_->certificate_pem());
  EXPECT_THAT(cert.status().message(), HasSubstr("CSR is not valid PEM"));
  ExpectNoOpenSslErrorsLeft();
}

// --- Certificate authority
// -----------------------------------------------------

TEST_F(PkiTest, CreatedCaIsSelfSignedCa) {
  auto info = ParseCertificate(ca_->certificate_pem());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->common_name, "Trellis Test CA");
  EXPECT_EQ(info->organizational_unit, "");
  EXPECT_TRUE(info->is_ca);
  EXPECT_EQ(info->not_before, Now());
  EXPECT_EQ(info->not_after, Now() + absl::Hours(24 * 365));
  EXPECT_EQ(info->public_key_pem,
            *PublicKeyFromPrivate(ca_->private_key_pem()));

  X509Ptr cert = ReadCert(ca_->certificate_pem());
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_issued(cert.get(), cert.get()), X509_V_OK);
  EXPECT_TRUE(ExtensionIsCritical(cert.get(), NID_basic_constraints));
  EXPECT_TRUE(ExtensionIsCritical(cert.get(), NID_key_usage));
  EXPECT_EQ(X509_get_key_usage(cert.get()), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
  EXPECT_EQ(X509_get_pathlen(cert.get()), 0);
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);
  EXPECT_TRUE(VerifyIssuedBy(ca_->certificate_pem(), ca_->certificate_pem(),
                             Now() + absl::Hours(1))
                  .ok());
}

TEST_F(PkiTest, CreateRejectsBadParameters) {
  EXPECT_THAT(CertificateAuthority::Create("", Now(), absl::Hours(1))
                  .status()
                  .message(),
              HasSubstr("common_name is empty"));
  EXPECT_THAT(CertificateAuthority::Create("CA", Now(), absl::ZeroDuration())
                  .status()
                  .message(),
              HasSubstr("lifetime"));
  EXPECT_THAT(CertificateAuthority::Create("CA", Now(), -absl::Hours(1))
                  .status()
                  .message(),
              HasSubstr("lifetime"));
}

TEST_F(PkiTest, LoadRoundTrips) {
  auto loaded = CertificateAuthority::Load(ca_->certificate_pem(),
                                           ca_->private_key_pem());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->certificate_pem(), ca_->certificate_pem());
  EXPECT_EQ(loaded->private_key_pem(), ca_->private_key_pem());
  auto cert = loaded->Issue(ClientRequest(NewKeys()));
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_TRUE(VerifyIssuedBy(*cert, ca_->certificate_pem(), Now()).ok());
}

TEST_F(PkiTest, LoadRejectsMismatchedKey) {
  auto loaded = CertificateAuthority::Load(ca_->certificate_pem(),
                                           NewKeys().private_key_pem);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("CA private key does not match the CA certificate"));
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, LoadRejectsNonCaCertificate) {
  const KeyPair keys = NewKeys();
  const std::string leaf = IssueOrDie(ClientRequest(keys));
  auto loaded = CertificateAuthority::Load(leaf, keys.private_key_pem);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), HasSubstr("is not a CA"));
}

TEST_F(PkiTest, LoadRejectsGarbage) {
  EXPECT_THAT(
      CertificateAuthority::Load("", ca_->private_key_pem()).status().message(),
      HasSubstr("CA certificate is empty"));
  EXPECT_THAT(CertificateAuthority::Load("junk", ca_->private_key_pem())
                  .status()
                  .message(),
              HasSubstr("CA certificate is not valid PEM"));
  EXPECT_THAT(CertificateAuthority::Load(ca_->certificate_pem(), "junk")
                  .status()
                  .message(),
              HasSubstr("private key is not valid PEM"));
}

TEST_F(PkiTest, LoadedCaWithoutKeyIdStillIssues) {
  const auto [cert_pem, key_pem] = CaWithoutKeyId(Now());
  auto loaded = CertificateAuthority::Load(cert_pem, key_pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  auto cert = loaded->Issue(ClientRequest(NewKeys()));
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::Status status = VerifyIssuedBy(*cert, cert_pem, Now());
  EXPECT_TRUE(status.ok()) << status;
  // No key id to copy, so the authorityKeyIdentifier names issuer + serial.
  X509Ptr x = ReadCert(*cert);
  EXPECT_EQ(X509_get0_authority_key_id(x.get()), nullptr);
  EXPECT_NE(X509_get0_authority_serial(x.get()), nullptr);
}

// --- Issuing -----------------------------------------------------------------

TEST_F(PkiTest, IssuesClientCertificate) {
  const KeyPair keys = NewKeys();
  const CertRequest request = ClientRequest(keys);
  const std::string pem = IssueOrDie(request);

  auto info = ParseCertificate(pem);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->common_name, "device-1234");
  EXPECT_EQ(info->organizational_unit, "device");
  EXPECT_EQ(info->not_before, request.not_before);
  EXPECT_EQ(info->not_after, request.not_after);
  EXPECT_EQ(info->public_key_pem, keys.public_key_pem);
  EXPECT_EQ(info->public_key_sha256, *PublicKeySha256(keys.public_key_pem));
  EXPECT_EQ(info->fingerprint_sha256.size(), 32u);
  EXPECT_FALSE(info->is_ca);
  EXPECT_FALSE(info->serial_hex.empty());
  EXPECT_EQ(info->serial_hex.find_first_not_of("0123456789abcdef"),
            std::string::npos);

  X509Ptr cert = ReadCert(pem);
  X509Ptr ca_cert = ReadCert(ca_->certificate_pem());
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(cert.get()),
                          X509_get_subject_name(ca_cert.get())),
            0);
  EXPECT_EQ(X509_check_issued(ca_cert.get(), cert.get()), X509_V_OK);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_TRUE(ExtensionIsCritical(cert.get(), NID_basic_constraints));
  EXPECT_EQ(X509_get_extension_flags(cert.get()) & EXFLAG_CA, 0u);
  EXPECT_TRUE(ExtensionIsCritical(cert.get(), NID_key_usage));
  EXPECT_TRUE(X509_get_key_usage(cert.get()) & KU_DIGITAL_SIGNATURE);
  EXPECT_FALSE(X509_get_key_usage(cert.get()) & KU_KEY_CERT_SIGN);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()), XKU_SSL_CLIENT);
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);
  ASSERT_NE(X509_get0_authority_key_id(cert.get()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(cert.get()),
                                  X509_get0_subject_key_id(ca_cert.get())),
            0);
  EXPECT_TRUE(SubjectAltNames(cert.get()).empty());

  // Serial: positive, at most 128 bits.
  BIGNUM* serial =
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr);
  EXPECT_FALSE(BN_is_negative(serial));
  EXPECT_FALSE(BN_is_zero(serial));
  EXPECT_LE(BN_num_bits(serial), 128);
  BN_free(serial);
}

TEST_F(PkiTest, IssuesServerCertificateWithSubjectAltNames) {
  CertRequest request = ClientRequest(NewKeys());
  request.common_name = "trellis.example.com";
  request.organizational_unit = "server";
  request.usage = CertUsage::kServer;
  request.dns_names = {"trellis.example.com", "localhost"};
  request.ip_addresses = {"127.0.0.1", "::1", "2001:db8::5"};
  const std::string pem = IssueOrDie(request);

  X509Ptr cert = ReadCert(pem);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()), XKU_SSL_SERVER);
  EXPECT_FALSE(ExtensionIsCritical(cert.get(), NID_subject_alt_name));
  EXPECT_THAT(
      SubjectAltNames(cert.get()),
      ::testing::ElementsAre("DNS:trellis.example.com", "DNS:localhost",
                             "IP:127.0.0.1", "IP:::1", "IP:2001:db8::5"));
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(ParseCertificate(pem)->organizational_unit, "server");
}

TEST_F(PkiTest, OrganizationalUnitIsOptional) {
  CertRequest request = ClientRequest(NewKeys());
  request.organizational_unit.clear();
  auto info = ParseCertificate(IssueOrDie(request));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->common_name, "device-1234");
  EXPECT_EQ(info->organizational_unit, "");
}

TEST_F(PkiTest, TimesRoundTripToTheSecond) {
  CertRequest request = ClientRequest(NewKeys());
  // Sub-second parts are dropped; post-2049 needs GeneralizedTime.
  request.not_before = Now() + absl::Milliseconds(750);
  request.not_after = absl::FromCivil(absl::CivilSecond(2061, 3, 4, 5, 6, 7),
                                      absl::UTCTimeZone());
  auto info = ParseCertificate(IssueOrDie(request));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->not_before, Now());
  EXPECT_EQ(info->not_after, request.not_after);
}

TEST_F(PkiTest, IssuedSerialsDiffer) {
  const CertRequest request = ClientRequest(NewKeys());
  std::set<std::string> serials;
  for (int i = 0; i < 5; ++i) {
    serials.insert(ParseCertificate(IssueOrDie(request))->serial_hex);
  }
  EXPECT_EQ(serials.size(), 5u);
}

TEST_F(PkiTest, IssueRejectsBadSubjectAltNames) {
  CertRequest request = ClientRequest(NewKeys());
  for (const std::string& bad_ip : std::vector<std::string>{
           "999.1.1.1", "1.2.3", "localhost", "", "::g", "1.2.3.4 ", "1.2.3.4x",
           " 1.2.3.4", "01.2.3.4", std::string("1.2.3.4\0x", 9)}) {
    request.ip_addresses = {bad_ip};
    auto cert = ca_->Issue(request);
    EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument)
        << bad_ip;
    EXPECT_THAT(cert.status().message(), HasSubstr("IP address"));
  }
  request.ip_addresses.clear();
  for (const std::string& bad_dns :
       std::vector<std::string>{"", "a b", "a,DNS:evil", "\xc3\xa9.com"}) {
    request.dns_names = {bad_dns};
    auto cert = ca_->Issue(request);
    EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument)
        << bad_dns;
    EXPECT_THAT(cert.status().message(), HasSubstr("DNS name"));
  }
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, IssueValidatesCommonNameLength) {
  CertRequest request = ClientRequest(NewKeys());
  request.common_name = "";
  EXPECT_THAT(ca_->Issue(request).status().message(),
              HasSubstr("common_name is empty"));
  request.common_name = std::string(65, 'x');
  EXPECT_THAT(ca_->Issue(request).status().message(),
              HasSubstr("common_name is longer than 64 characters"));
  request.common_name = std::string(64, 'x');
  EXPECT_TRUE(ca_->Issue(request).ok());
  // 64 characters, 128 bytes: the limit counts characters.
  std::string umlauts;
  for (int i = 0; i < 64; ++i) umlauts += "\xc3\xbc";
  request.common_name = umlauts;
  auto cert = ca_->Issue(request);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(ParseCertificate(*cert)->common_name, umlauts);
  request.common_name = "ok";
  request.organizational_unit = std::string(65, 'o');
  EXPECT_THAT(ca_->Issue(request).status().message(),
              HasSubstr("organizational_unit is longer"));
}

TEST_F(PkiTest, IssueRejectsBadValidity) {
  CertRequest request = ClientRequest(NewKeys());
  request.not_after = request.not_before;
  auto same = ca_->Issue(request);
  EXPECT_EQ(same.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(same.status().message(), HasSubstr("not_after"));
  request.not_after = request.not_before - absl::Hours(1);
  EXPECT_THAT(ca_->Issue(request).status().message(), HasSubstr("not_after"));
  request.not_after = absl::InfiniteFuture();
  EXPECT_EQ(ca_->Issue(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PkiTest, IssueRejectsBadPublicKeys) {
  CertRequest request = ClientRequest(NewKeys());
  PkeyPtr rsa = RsaKey();
  request.public_key_pem = PublicPem(rsa.get());
  auto from_rsa = ca_->Issue(request);
  EXPECT_EQ(from_rsa.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(from_rsa.status().message(),
              HasSubstr("public key is not EC P-256 (got RSA)"));
  request.public_key_pem = "junk";
  EXPECT_THAT(ca_->Issue(request).status().message(),
              HasSubstr("public key is not valid PEM"));
  request.public_key_pem = "";
  EXPECT_THAT(ca_->Issue(request).status().message(),
              HasSubstr("public key is empty"));
}

// --- Parsing, fingerprints, chains -------------------------------------------

TEST_F(PkiTest, FingerprintIsStable32Bytes) {
  const std::string pem = IssueOrDie(ClientRequest(NewKeys()));
  auto fingerprint = CertificateFingerprintSha256(pem);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status();
  EXPECT_EQ(fingerprint->size(), 32u);
  EXPECT_EQ(*CertificateFingerprintSha256(pem), *fingerprint);
  EXPECT_EQ(ParseCertificate(pem)->fingerprint_sha256, *fingerprint);

  X509Ptr cert = ReadCert(pem);
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert.get(), &der);
  EXPECT_EQ(*fingerprint,
            Sha256(std::string(reinterpret_cast<char*>(der), len)));
  OPENSSL_free(der);

  EXPECT_NE(*CertificateFingerprintSha256(ca_->certificate_pem()),
            *fingerprint);
}

TEST_F(PkiTest, ParseRejectsBadInput) {
  EXPECT_THAT(ParseCertificate("").status().message(),
              HasSubstr("certificate is empty"));
  auto garbage = ParseCertificate(
      "-----BEGIN CERTIFICATE-----\nQUJD\n"
      "-----END CERTIFICATE-----\n");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.status().message(),
              HasSubstr("certificate is not valid PEM"));
  EXPECT_THAT(CertificateFingerprintSha256("nope").status().message(),
              HasSubstr("certificate is not valid PEM"));
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, SplitsAndParsesChains) {
  const std::string leaf = IssueOrDie(ClientRequest(NewKeys()));
  const std::string chain = leaf + ca_->certificate_pem();
  EXPECT_EQ(SplitPemCertificates(chain),
            (std::vector<std::string>{leaf, ca_->certificate_pem()}));
  // Parsing a chain reads the first certificate.
  EXPECT_EQ(ParseCertificate(chain)->common_name, "device-1234");
  EXPECT_EQ(*CertificateFingerprintSha256(chain),
            *CertificateFingerprintSha256(leaf));
}

TEST_F(PkiTest, SplitSkipsOtherBlocksAndText) {
  const std::string leaf = IssueOrDie(ClientRequest(NewKeys()));
  const std::string ca = ca_->certificate_pem();
  // No trailing newline on the last block, text and a key in between.
  const std::string text = "subject=foo\n" + leaf + "junk\n" +
                           NewKeys().private_key_pem +
                           ca.substr(0, ca.size() - 1) +
                           "\n-----BEGIN CERTIFICATE-----\nunterminated";
  EXPECT_EQ(SplitPemCertificates(text), (std::vector<std::string>{leaf, ca}));
  EXPECT_TRUE(SplitPemCertificates("").empty());
  EXPECT_TRUE(SplitPemCertificates("no pem here").empty());
}

// --- Verification ------------------------------------------------------------

TEST_F(PkiTest, VerifySucceedsForIssuingCa) {
  const CertRequest request = ClientRequest(NewKeys());
  const std::string pem = IssueOrDie(request);
  absl::Status status =
      VerifyIssuedBy(pem, ca_->certificate_pem(), Now() + absl::Hours(1));
  EXPECT_TRUE(status.ok()) << status;
  // OpenSSL treats the notAfter second itself as expired; one before is fine.
  EXPECT_TRUE(VerifyIssuedBy(pem, ca_->certificate_pem(),
                             request.not_after - absl::Seconds(1))
                  .ok());
}

TEST_F(PkiTest, VerifyFailsForAnotherCa) {
  const std::string pem = IssueOrDie(ClientRequest(NewKeys()));
  auto other = CertificateAuthority::Create("Trellis Test CA", Now(),
                                            absl::Hours(24 * 365));
  ASSERT_TRUE(other.ok()) << other.status();
  absl::Status status = VerifyIssuedBy(pem, other->certificate_pem(), Now());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("does not verify"));
  ExpectNoOpenSslErrorsLeft();
}

TEST_F(PkiTest, VerifyChecksValidityTimes) {
  const CertRequest request = ClientRequest(NewKeys());
  const std::string pem = IssueOrDie(request);
  absl::Status expired = VerifyIssuedBy(pem, ca_->certificate_pem(),
                                        request.not_after + absl::Seconds(1));
  EXPECT_THAT(expired.message(), HasSubstr("certificate has expired"));
  absl::Status early = VerifyIssuedBy(pem, ca_->certificate_pem(),
                                      request.not_before - absl::Seconds(1));
  EXPECT_THAT(early.message(), HasSubstr("certificate is not yet valid"));
}

TEST_F(PkiTest, VerifyRequiresCaCertificate) {
  const KeyPair keys = NewKeys();
  const std::string leaf = IssueOrDie(ClientRequest(keys));
  absl::Status status = VerifyIssuedBy(leaf, leaf, Now());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not a CA"));
  EXPECT_THAT(VerifyIssuedBy(leaf, "junk", Now()).message(),
              HasSubstr("CA certificate is not valid PEM"));
  EXPECT_THAT(VerifyIssuedBy("", ca_->certificate_pem(), Now()).message(),
              HasSubstr("certificate is empty"));
}

// The server calls these from many threads at once.
TEST_F(PkiTest, ConcurrentUseIsSafe) {
  const KeyPair keys = NewKeys();
  const std::string csr = *MakeCsr(keys.private_key_pem, "device");
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto key = PublicKeyFromCsr(csr);
        auto bad = PublicKeyFromCsr("garbage");
        auto cert = ca_->Issue(ClientRequest(keys));
        if (!key.ok() || *key != keys.public_key_pem || bad.ok() ||
            !cert.ok() ||
            !VerifyIssuedBy(*cert, ca_->certificate_pem(), Now()).ok() ||
            ERR_peek_error() != 0) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::Each(0));
}

}  // namespace
}  // namespace trellis::crypto
