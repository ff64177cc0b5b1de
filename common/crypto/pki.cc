#include "common/crypto/pki.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <climits>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/crypto/digest.h"

namespace trellis::crypto {
namespace {

// --- RAII for OpenSSL objects ---

template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};
template <typename T, auto kFree>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<kFree>>;

using Asn1BitStringPtr = OpenSslPtr<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using Asn1OctetStringPtr =
    OpenSslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using BasicConstraintsPtr =
    OpenSslPtr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using ExtendedKeyUsagePtr =
    OpenSslPtr<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using Ia5StringPtr = OpenSslPtr<ASN1_IA5STRING, ASN1_IA5STRING_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509ReqPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;

struct OpenSslStringDeleter {
  void operator()(char* p) const { OPENSSL_free(p); }
};
using OpenSslString = std::unique_ptr<char, OpenSslStringDeleter>;

// --- Errors ---

// OpenSSL keeps a per-thread error queue. Clearing it when a public function
// starts keeps stale errors from an unrelated earlier call out of our
// messages; clearing it when the function returns keeps our errors from
// showing up in whatever runs next on this (gRPC worker) thread.
class ErrorQueueScope {
 public:
  ErrorQueueScope() { ERR_clear_error(); }
  ~ErrorQueueScope() { ERR_clear_error(); }
  ErrorQueueScope(const ErrorQueueScope&) = delete;
  ErrorQueueScope& operator=(const ErrorQueueScope&) = delete;
};

// Takes the OpenSSL reason for the current failure (if any) and empties the
// queue so the same reason is not reported twice.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

std::string WithOpenSslError(absl::string_view message) {
  const std::string detail = TakeOpenSslError();
  if (detail.empty()) return std::string(message);
  return absl::StrCat(message, ": ", detail);
}

absl::Status BadInput(absl::string_view message) {
  return absl::InvalidArgumentError(WithOpenSslError(message));
}

// For failures that no input can cause (allocation, encoding our own data).
absl::Status Internal(absl::string_view message) {
  return absl::InternalError(WithOpenSslError(message));
}

// --- PEM in and out ---

// Refuses to prompt for a passphrase. Without this, OpenSSL's default
// callback would read one from the terminal when handed an encrypted key.
int NoPassphrase(char*, int, int, void*) { return -1; }

// A read-only BIO over `pem`; `what` names the input for error messages.
absl::StatusOr<BioPtr> ReadBio(const std::string& pem, absl::string_view what) {
  if (pem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  }
  if (pem.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is too large"));
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return Internal("cannot allocate BIO");
  return bio;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (data == nullptr || len <= 0) return "";
  return std::string(data, static_cast<size_t>(len));
}

// Runs `write(bio)` against a memory BIO and returns what it wrote.
template <typename WriteFn>
absl::StatusOr<std::string> WritePem(WriteFn write, absl::string_view what) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) return Internal("cannot allocate BIO");
  if (write(bio.get()) != 1) {
    return Internal(absl::StrCat("cannot encode ", what, " as PEM"));
  }
  return BioContents(bio.get());
}

absl::StatusOr<EvpPkeyPtr> ParsePrivateKey(const std::string& pem) {
  auto bio = ReadBio(pem, "private key");
  if (!bio.ok()) return bio.status();
  EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(bio->get(), nullptr, NoPassphrase, nullptr));
  if (key == nullptr) return BadInput("private key is not valid PEM");
  return key;
}

absl::StatusOr<EvpPkeyPtr> ParsePublicKey(const std::string& pem) {
  auto bio = ReadBio(pem, "public key");
  if (!bio.ok()) return bio.status();
  EvpPkeyPtr key(
      PEM_read_bio_PUBKEY(bio->get(), nullptr, NoPassphrase, nullptr));
  if (key == nullptr) return BadInput("public key is not valid PEM");
  return key;
}

// Parses the first certificate in `pem`; later ones (a chain) are ignored.
absl::StatusOr<X509Ptr> ParseCert(const std::string& pem,
                                  absl::string_view what) {
  auto bio = ReadBio(pem, what);
  if (!bio.ok()) return bio.status();
  X509Ptr cert(PEM_read_bio_X509(bio->get(), nullptr, NoPassphrase, nullptr));
  if (cert == nullptr) return BadInput(absl::StrCat(what, " is not valid PEM"));
  return cert;
}

absl::StatusOr<std::string> PublicKeyPem(EVP_PKEY* key) {
  return WritePem([key](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key); },
                  "public key");
}

absl::StatusOr<std::string> PrivateKeyPem(EVP_PKEY* key) {
  // OpenSSL 3 writes PKCS#8 ("PRIVATE KEY") here.
  return WritePem(
      [key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      "private key");
}

absl::StatusOr<std::string> CertPem(X509* cert) {
  return WritePem([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); },
                  "certificate");
}

// --- Keys ---

constexpr char kCurveName[] = "prime256v1";

// Requires an EC key on P-256; `what` names the key for the message.
absl::Status RequireP256(EVP_PKEY* key, absl::string_view what) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
    const char* type = EVP_PKEY_get0_type_name(key);
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not EC P-256 (got ",
                     type != nullptr ? type : "unknown key type", ")"));
  }
  char group[80] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &len) != 1) {
    // Explicit curve parameters instead of a named curve end up here.
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not EC P-256 (got EC without a named curve)"));
  }
  int nid = OBJ_sn2nid(group);
  if (nid == NID_undef) nid = EC_curve_nist2nid(group);
  if (nid != NID_X9_62_prime256v1) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not EC P-256 (got EC ", group, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<EvpPkeyPtr> GenerateP256Key() {
  EvpPkeyPtr key(EVP_EC_gen(kCurveName));
  if (key == nullptr) return Internal("cannot generate EC P-256 key");
  return key;
}

// DER SubjectPublicKeyInfo of `key`.
absl::StatusOr<std::string> PublicKeyDer(EVP_PKEY* key) {
  const int len = i2d_PUBKEY(key, nullptr);
  if (len <= 0) return Internal("cannot DER-encode public key");
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key, &out) != len) {
    return Internal("cannot DER-encode public key");
  }
  return der;
}

absl::StatusOr<std::string> KeySha256(EVP_PKEY* key) {
  auto der = PublicKeyDer(key);
  if (!der.ok()) return der.status();
  return Sha256(*der);
}

// --- Certificate building ---

// X.520 limits commonName and organizationalUnitName to 64 characters.
constexpr size_t kMaxNameChars = 64;

// Characters, not bytes: the X.520 bound counts characters of the UTF-8 text.
size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

absl::Status CheckNameField(absl::string_view value, absl::string_view field,
                            bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is empty"));
  }
  if (Utf8Length(value) > kMaxNameChars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is longer than ", kMaxNameChars, " characters"));
  }
  return absl::OkStatus();
}

absl::Status AddNameEntry(X509_NAME* name, int nid, const std::string& value,
                          absl::string_view field) {
  if (X509_NAME_add_entry_by_NID(
          name, nid, MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(value.data()),
          static_cast<int>(value.size()), -1, 0) != 1) {
    return BadInput(absl::StrCat(field, " is not valid"));
  }
  return absl::OkStatus();
}

// Subject with OU (when set) then CN, the usual most-general-first order.
absl::Status SetSubject(X509* cert, const std::string& common_name,
                        const std::string& organizational_unit) {
  X509NamePtr name(X509_NAME_new());
  if (name == nullptr) return Internal("cannot allocate X509_NAME");
  if (!organizational_unit.empty()) {
    absl::Status s = AddNameEntry(name.get(), NID_organizationalUnitName,
                                  organizational_unit, "organizational_unit");
    if (!s.ok()) return s;
  }
  absl::Status s =
      AddNameEntry(name.get(), NID_commonName, common_name, "common_name");
  if (!s.ok()) return s;
  if (X509_set_subject_name(cert, name.get()) != 1) {  // Copies the name.
    return Internal("cannot set certificate subject");
  }
  return absl::OkStatus();
}

// A random positive 128-bit serial: unpredictable serials keep a chosen-
// prefix collision against the signature hash out of reach, and make
// collisions between independently issued certificates negligible.
absl::Status SetRandomSerial(X509* cert) {
  BignumPtr serial;
  while (serial == nullptr || BN_is_zero(serial.get())) {
    const std::string bytes = RandomBytes(16);
    serial.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                           static_cast<int>(bytes.size()), nullptr));
    if (serial == nullptr) return Internal("cannot allocate serial");
  }
  if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) ==
      nullptr) {
    return Internal("cannot set certificate serial");
  }
  return absl::OkStatus();
}

// Validates the validity window; the certificate stores whole seconds, so the
// check is done on whole seconds too.
absl::Status CheckValidity(absl::Time not_before, absl::Time not_after) {
  if (not_before == absl::InfinitePast() ||
      not_before == absl::InfiniteFuture() ||
      not_after == absl::InfinitePast() ||
      not_after == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("validity times must be finite");
  }
  if (absl::ToTimeT(not_after) <= absl::ToTimeT(not_before)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not_after (", absl::FormatTime(not_after),
        ") is not after not_before (", absl::FormatTime(not_before), ")"));
  }
  return absl::OkStatus();
}

absl::Status SetValidity(X509* cert, absl::Time not_before,
                         absl::Time not_after) {
  // ASN1_TIME_set picks UTCTime or GeneralizedTime by year, as RFC 5280 wants.
  if (ASN1_TIME_set(X509_getm_notBefore(cert), absl::ToTimeT(not_before)) ==
      nullptr) {
    return BadInput("not_before cannot be encoded");
  }
  if (ASN1_TIME_set(X509_getm_notAfter(cert), absl::ToTimeT(not_after)) ==
      nullptr) {
    return BadInput("not_after cannot be encoded");
  }
  return absl::OkStatus();
}

// A new v3 certificate for `key` with a random serial, subject and validity.
// The caller sets the issuer and extensions, then signs.
absl::StatusOr<X509Ptr> NewCertificate(EVP_PKEY* key,
                                       const std::string& common_name,
                                       const std::string& organizational_unit,
                                       absl::Time not_before,
                                       absl::Time not_after) {
  X509Ptr cert(X509_new());
  if (cert == nullptr) return Internal("cannot allocate X509");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return Internal("cannot set certificate version");
  }
  absl::Status s = SetRandomSerial(cert.get());
  if (s.ok()) s = SetSubject(cert.get(), common_name, organizational_unit);
  if (s.ok()) s = SetValidity(cert.get(), not_before, not_after);
  if (!s.ok()) return s;
  if (X509_set_pubkey(cert.get(), key) != 1) {
    return Internal("cannot set certificate public key");
  }
  return cert;
}

// Adds an extension from its decoded OpenSSL structure.
absl::Status AddExtension(X509* cert, int nid, void* value, bool critical) {
  if (X509_add1_ext_i2d(cert, nid, value, critical ? 1 : 0,
                        X509V3_ADD_REPLACE) != 1) {
    return Internal(absl::StrCat("cannot add extension ", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

// Adds an extension OpenSSL derives from the certificates themselves (key
// identifiers), so we do not re-implement its key-id hashing.
absl::Status AddDerivedExtension(X509* cert, X509* issuer, int nid,
                                 const char* value) {
  X509V3_CTX ctx{};
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return Internal(absl::StrCat("cannot add extension ", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

absl::Status AddBasicConstraints(X509* cert, bool is_ca) {
  BasicConstraintsPtr bc(BASIC_CONSTRAINTS_new());
  if (bc == nullptr) return Internal("cannot allocate basicConstraints");
  if (is_ca) {
    bc->ca = 0xFF;  // DER TRUE.
    // pathlen 0: our CA only issues end-entity certificates.
    bc->pathlen = ASN1_INTEGER_new();
    if (bc->pathlen == nullptr || ASN1_INTEGER_set(bc->pathlen, 0) != 1) {
      return Internal("cannot set basicConstraints pathlen");
    }
  }
  return AddExtension(cert, NID_basic_constraints, bc.get(), /*critical=*/true);
}

// `bits` are RFC 5280 KeyUsage bit numbers.
absl::Status AddKeyUsage(X509* cert, std::initializer_list<int> bits) {
  Asn1BitStringPtr usage(ASN1_BIT_STRING_new());
  if (usage == nullptr) return Internal("cannot allocate keyUsage");
  for (int bit : bits) {
    if (ASN1_BIT_STRING_set_bit(usage.get(), bit, 1) != 1) {
      return Internal("cannot set keyUsage bit");
    }
  }
  return AddExtension(cert, NID_key_usage, usage.get(), /*critical=*/true);
}

// RFC 5280 KeyUsage bit numbers.
constexpr int kDigitalSignature = 0;
constexpr int kKeyAgreement = 4;
constexpr int kKeyCertSign = 5;
constexpr int kCrlSign = 6;

absl::Status AddExtendedKeyUsage(X509* cert, CertUsage usage) {
  ExtendedKeyUsagePtr eku(sk_ASN1_OBJECT_new_null());
  if (eku == nullptr) return Internal("cannot allocate extendedKeyUsage");
  const int nid =
      usage == CertUsage::kServer ? NID_server_auth : NID_client_auth;
  ASN1_OBJECT* oid = OBJ_nid2obj(nid);  // Static object; freeing is a no-op.
  if (oid == nullptr || sk_ASN1_OBJECT_push(eku.get(), oid) <= 0) {
    return Internal("cannot build extendedKeyUsage");
  }
  return AddExtension(cert, NID_ext_key_usage, eku.get(), /*critical=*/false);
}

// DNS names we are willing to put in a certificate: LDH labels, plus '*' for
// wildcards and '_' which some internal names use. Anything else (spaces,
// commas, non-ASCII) is almost certainly a caller mistake.
absl::Status CheckDnsName(absl::string_view name) {
  if (name.empty() || name.size() > 253) {
    return absl::InvalidArgumentError(absl::StrCat(
        "DNS name \"", absl::CEscape(name), "\" has an invalid length"));
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '.' && c != '*' &&
        c != '_') {
      return absl::InvalidArgumentError(
          absl::StrCat("DNS name \"", absl::CEscape(name),
                       "\" contains an invalid character"));
    }
  }
  return absl::OkStatus();
}

absl::Status AppendDnsName(GENERAL_NAMES* names, const std::string& dns) {
  absl::Status s = CheckDnsName(dns);
  if (!s.ok()) return s;
  Ia5StringPtr value(ASN1_IA5STRING_new());
  GeneralNamePtr name(GENERAL_NAME_new());
  if (value == nullptr || name == nullptr ||
      ASN1_STRING_set(value.get(), dns.data(), static_cast<int>(dns.size())) !=
          1) {
    return Internal("cannot build DNS subjectAltName");
  }
  GENERAL_NAME_set0_value(name.get(), GEN_DNS, value.release());
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return Internal("cannot build subjectAltName");
  }
  name.release();  // Now owned by `names`.
  return absl::OkStatus();
}

// The 4 or 16 network-order bytes of an IPv4 dotted quad or IPv6 address.
// inet_pton rather than OpenSSL's a2i_IPADDRESS: the latter parses IPv4 with
// sscanf and so accepts trailing garbage ("1.2.3.4 x"), and reads a C string,
// which would silently cut at an embedded NUL.
std::optional<std::string> ParseIpAddress(const std::string& ip) {
  if (ip.find('\0') != std::string::npos) return std::nullopt;
  unsigned char buf[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1) {
    return std::string(reinterpret_cast<char*>(buf), 4);
  }
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) {
    return std::string(reinterpret_cast<char*>(buf), 16);
  }
  return std::nullopt;
}

absl::Status AppendIpAddress(GENERAL_NAMES* names, const std::string& ip) {
  auto bytes = ParseIpAddress(ip);
  if (!bytes.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("IP address \"", absl::CEscape(ip), "\" is not valid"));
  }
  Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  if (value == nullptr ||
      ASN1_OCTET_STRING_set(
          value.get(), reinterpret_cast<const unsigned char*>(bytes->data()),
          static_cast<int>(bytes->size())) != 1) {
    return Internal("cannot build IP subjectAltName");
  }
  GeneralNamePtr name(GENERAL_NAME_new());
  if (name == nullptr) return Internal("cannot build IP subjectAltName");
  GENERAL_NAME_set0_value(name.get(), GEN_IPADD, value.release());
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return Internal("cannot build subjectAltName");
  }
  name.release();  // Now owned by `names`.
  return absl::OkStatus();
}

absl::Status AddSubjectAltNames(X509* cert, const CertRequest& request) {
  if (request.dns_names.empty() && request.ip_addresses.empty()) {
    return absl::OkStatus();
  }
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (names == nullptr) return Internal("cannot allocate subjectAltName");
  for (const std::string& dns : request.dns_names) {
    absl::Status s = AppendDnsName(names.get(), dns);
    if (!s.ok()) return s;
  }
  for (const std::string& ip : request.ip_addresses) {
    absl::Status s = AppendIpAddress(names.get(), ip);
    if (!s.ok()) return s;
  }
  // Non-critical: the subject always carries a CN.
  return AddExtension(cert, NID_subject_alt_name, names.get(),
                      /*critical=*/false);
}

absl::StatusOr<std::string> SignToPem(X509* cert, EVP_PKEY* signer) {
  if (X509_sign(cert, signer, EVP_sha256()) <= 0) {
    return Internal("cannot sign certificate");
  }
  return CertPem(cert);
}

// --- Certificate reading ---

// Only a proper v3 CA (basicConstraints CA:TRUE, keyCertSign if keyUsage is
// present) counts. X509_check_ca's other non-zero answers cover v1 roots and
// legacy Netscape types, which we never issue or accept.
bool IsCa(X509* cert) { return X509_check_ca(cert) == 1; }

// UTF-8 text of the first `nid` entry of `name`, or "" when absent.
absl::StatusOr<std::string> NameEntry(const X509_NAME* name, int nid,
                                      absl::string_view field) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return std::string();
  const ASN1_STRING* data =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    return BadInput(
        absl::StrCat("certificate ", field, " is not a valid string"));
  }
  const OpenSslString owned(reinterpret_cast<char*>(utf8));
  return std::string(owned.get(), static_cast<size_t>(len));
}

absl::StatusOr<absl::Time> ToAbslTime(const ASN1_TIME* t,
                                      absl::string_view field) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return BadInput(absl::StrCat("certificate ", field, " is not valid"));
  }
  // Certificate times are UTC; CivilSecond avoids depending on timegm().
  const absl::CivilSecond civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

absl::StatusOr<std::string> SerialHex(X509* cert) {
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (serial == nullptr) return BadInput("certificate serial is not valid");
  OpenSslString hex(BN_bn2hex(serial.get()));
  if (hex == nullptr) return Internal("cannot format certificate serial");
  return absl::AsciiStrToLower(hex.get());
}

absl::StatusOr<std::string> Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) {
    return Internal("cannot hash certificate");
  }
  return std::string(reinterpret_cast<char*>(md), len);
}

}  // namespace

// --- Public API ---

absl::StatusOr<KeyPair> GenerateKeyPair() {
  ErrorQueueScope errors;
  auto key = GenerateP256Key();
  if (!key.ok()) return key.status();
  KeyPair pair;
  auto private_pem = PrivateKeyPem(key->get());
  if (!private_pem.ok()) return private_pem.status();
  auto public_pem = PublicKeyPem(key->get());
  if (!public_pem.ok()) return public_pem.status();
  pair.private_key_pem = *std::move(private_pem);
  pair.public_key_pem = *std::move(public_pem);
  return pair;
}

absl::StatusOr<std::string> PublicKeyFromPrivate(
    const std::string& private_key_pem) {
  ErrorQueueScope errors;
  auto key = ParsePrivateKey(private_key_pem);
  if (!key.ok()) return key.status();
  return PublicKeyPem(key->get());
}

absl::StatusOr<std::string> PublicKeySha256(const std::string& public_key_pem) {
  ErrorQueueScope errors;
  auto key = ParsePublicKey(public_key_pem);
  if (!key.ok()) return key.status();
  // Re-encoding (rather than hashing the PEM body) makes the identity
  // independent of PEM line wrapping and of how the key was first encoded.
  return KeySha256(key->get());
}

absl::StatusOr<std::string> MakeCsr(const std::string& private_key_pem,
                                    const std::string& common_name) {
  ErrorQueueScope errors;
  auto key = ParsePrivateKey(private_key_pem);
  if (!key.ok()) return key.status();
  // The server would reject anything else; say so here, where it is clearer.
  absl::Status s = RequireP256(key->get(), "private key");
  if (s.ok()) s = CheckNameField(common_name, "common_name", false);
  if (!s.ok()) return s;

  X509ReqPtr req(X509_REQ_new());
  if (req == nullptr) return Internal("cannot allocate X509_REQ");
  if (X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1) {
    return Internal("cannot set CSR version");
  }
  // An empty CN is not encodable (its minimum length is 1), so an empty
  // common_name gives an empty subject, which PKCS#10 allows.
  if (!common_name.empty()) {
    s = AddNameEntry(X509_REQ_get_subject_name(req.get()), NID_commonName,
                     common_name, "common_name");
    if (!s.ok()) return s;
  }
  if (X509_REQ_set_pubkey(req.get(), key->get()) != 1) {
    return Internal("cannot set CSR public key");
  }
  if (X509_REQ_sign(req.get(), key->get(), EVP_sha256()) <= 0) {
    return Internal("cannot sign CSR");
  }
  X509_REQ* raw = req.get();
  return WritePem([raw](BIO* bio) { return PEM_write_bio_X509_REQ(bio, raw); },
                  "CSR");
}

absl::StatusOr<std::string> PublicKeyFromCsr(const std::string& csr_pem) {
  ErrorQueueScope errors;
  auto bio = ReadBio(csr_pem, "CSR");
  if (!bio.ok()) return bio.status();
  X509ReqPtr req(
      PEM_read_bio_X509_REQ(bio->get(), nullptr, NoPassphrase, nullptr));
  if (req == nullptr) return BadInput("CSR is not valid PEM");
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());  // Owned by `req`.
  if (key == nullptr) return BadInput("CSR public key does not parse");
  // Key type before signature: no point spending a verification on a key we
  // would refuse anyway (and some key types are costly to verify with).
  absl::Status s = RequireP256(key, "CSR key");
  if (!s.ok()) return s;
  const int verified = X509_REQ_verify(req.get(), key);
  if (verified != 1) {
    return verified == 0 ? BadInput("CSR signature does not verify")
                         : BadInput("CSR signature cannot be checked");
  }
  return PublicKeyPem(key);
}

absl::StatusOr<CertificateInfo> ParseCertificate(const std::string& cert_pem) {
  ErrorQueueScope errors;
  auto cert = ParseCert(cert_pem, "certificate");
  if (!cert.ok()) return cert.status();
  X509* x = cert->get();

  CertificateInfo info;
  const X509_NAME* subject = X509_get_subject_name(x);
  auto cn = NameEntry(subject, NID_commonName, "commonName");
  if (!cn.ok()) return cn.status();
  auto ou =
      NameEntry(subject, NID_organizationalUnitName, "organizationalUnitName");
  if (!ou.ok()) return ou.status();
  auto serial = SerialHex(x);
  if (!serial.ok()) return serial.status();
  auto not_before = ToAbslTime(X509_get0_notBefore(x), "notBefore");
  if (!not_before.ok()) return not_before.status();
  auto not_after = ToAbslTime(X509_get0_notAfter(x), "notAfter");
  if (!not_after.ok()) return not_after.status();
  EVP_PKEY* key = X509_get0_pubkey(x);  // Owned by the certificate.
  if (key == nullptr) return BadInput("certificate public key does not parse");
  auto key_pem = PublicKeyPem(key);
  if (!key_pem.ok()) return key_pem.status();
  auto key_hash = KeySha256(key);
  if (!key_hash.ok()) return key_hash.status();
  auto fingerprint = Fingerprint(x);
  if (!fingerprint.ok()) return fingerprint.status();

  info.common_name = *std::move(cn);
  info.organizational_unit = *std::move(ou);
  info.serial_hex = *std::move(serial);
  info.not_before = *not_before;
  info.not_after = *not_after;
  info.public_key_pem = *std::move(key_pem);
  info.public_key_sha256 = *std::move(key_hash);
  info.fingerprint_sha256 = *std::move(fingerprint);
  info.is_ca = IsCa(x);
  return info;
}

std::vector<std::string> SplitPemCertificates(const std::string& pem_text) {
  static constexpr absl::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  static constexpr absl::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<std::string> blocks;
  const absl::string_view text(pem_text);
  size_t pos = 0;
  while (true) {
    const size_t begin = text.find(kBegin, pos);
    if (begin == absl::string_view::npos) break;
    const size_t end = text.find(kEnd, begin + kBegin.size());
    if (end == absl::string_view::npos) break;  // Unterminated: not a block.
    const size_t stop = end + kEnd.size();
    blocks.push_back(absl::StrCat(text.substr(begin, stop - begin), "\n"));
    pos = stop;
  }
  return blocks;
}

absl::StatusOr<std::string> CertificateFingerprintSha256(
    const std::string& cert_pem) {
  ErrorQueueScope errors;
  auto cert = ParseCert(cert_pem, "certificate");
  if (!cert.ok()) return cert.status();
  return Fingerprint(cert->get());
}

absl::Status VerifyIssuedBy(const std::string& cert_pem,
                            const std::string& ca_cert_pem, absl::Time now) {
  ErrorQueueScope errors;
  auto cert = ParseCert(cert_pem, "certificate");
  if (!cert.ok()) return cert.status();
  auto ca = ParseCert(ca_cert_pem, "CA certificate");
  if (!ca.ok()) return ca.status();
  if (!IsCa(ca->get())) {
    return absl::InvalidArgumentError("CA certificate is not a CA");
  }
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("verification time must be finite");
  }

  X509StorePtr store(X509_STORE_new());
  if (store == nullptr) return Internal("cannot allocate X509_STORE");
  if (X509_STORE_add_cert(store.get(), ca->get()) != 1) {  // Takes a ref.
    return Internal("cannot add CA to X509_STORE");
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert->get(), nullptr) != 1) {
    return Internal("cannot set up certificate verification");
  }
  // The CA is the trust anchor even when it is itself an intermediate.
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(now));

  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("certificate does not verify against the CA: ",
                     X509_verify_cert_error_string(error)));
  }
  return absl::OkStatus();
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::Create(
    const std::string& common_name, absl::Time now, absl::Duration lifetime) {
  ErrorQueueScope errors;
  absl::Status s = CheckNameField(common_name, "common_name", true);
  if (!s.ok()) return s;
  if (lifetime <= absl::ZeroDuration() ||
      lifetime == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        "CA lifetime must be positive and finite");
  }
  s = CheckValidity(now, now + lifetime);
  if (!s.ok()) return s;

  auto key = GenerateP256Key();
  if (!key.ok()) return key.status();
  auto cert = NewCertificate(key->get(), common_name,
                             /*organizational_unit=*/"", now, now + lifetime);
  if (!cert.ok()) return cert.status();
  X509* x = cert->get();
  if (X509_set_issuer_name(x, X509_get_subject_name(x)) != 1) {
    return Internal("cannot set CA issuer");
  }
  s = AddBasicConstraints(x, /*is_ca=*/true);
  if (s.ok()) s = AddKeyUsage(x, {kKeyCertSign, kCrlSign});
  if (s.ok()) s = AddDerivedExtension(x, x, NID_subject_key_identifier, "hash");
  if (!s.ok()) return s;

  auto cert_pem = SignToPem(x, key->get());
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = PrivateKeyPem(key->get());
  if (!key_pem.ok()) return key_pem.status();
  return CertificateAuthority(*std::move(cert_pem), *std::move(key_pem));
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::Load(
    const std::string& cert_pem, const std::string& private_key_pem) {
  ErrorQueueScope errors;
  auto cert = ParseCert(cert_pem, "CA certificate");
  if (!cert.ok()) return cert.status();
  auto key = ParsePrivateKey(private_key_pem);
  if (!key.ok()) return key.status();
  absl::Status s = RequireP256(key->get(), "CA private key");
  if (!s.ok()) return s;
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    return BadInput("CA private key does not match the CA certificate");
  }
  if (!IsCa(cert->get())) {
    return absl::InvalidArgumentError(
        "CA certificate is not a CA (needs basicConstraints CA:TRUE and "
        "keyCertSign)");
  }
  return CertificateAuthority(cert_pem, private_key_pem);
}

absl::StatusOr<std::string> CertificateAuthority::Issue(
    const CertRequest& request) const {
  ErrorQueueScope errors;
  absl::Status s = CheckNameField(request.common_name, "common_name", true);
  if (s.ok()) {
    s = CheckNameField(request.organizational_unit, "organizational_unit",
                       false);
  }
  if (s.ok()) s = CheckValidity(request.not_before, request.not_after);
  if (!s.ok()) return s;
  auto subject_key = ParsePublicKey(request.public_key_pem);
  if (!subject_key.ok()) return subject_key.status();
  s = RequireP256(subject_key->get(), "public key");
  if (!s.ok()) return s;

  // The CA was checked when created or loaded; a failure here means the
  // object was built from inconsistent data, so report it as internal.
  auto ca_cert = ParseCert(cert_pem_, "CA certificate");
  if (!ca_cert.ok()) return absl::InternalError(ca_cert.status().message());
  auto ca_key = ParsePrivateKey(key_pem_);
  if (!ca_key.ok()) return absl::InternalError(ca_key.status().message());

  auto cert = NewCertificate(subject_key->get(), request.common_name,
                             request.organizational_unit, request.not_before,
                             request.not_after);
  if (!cert.ok()) return cert.status();
  X509* x = cert->get();
  if (X509_set_issuer_name(x, X509_get_subject_name(ca_cert->get())) != 1) {
    return Internal("cannot set certificate issuer");
  }
  s = AddBasicConstraints(x, /*is_ca=*/false);
  // keyAgreement too: EC keys may be used for ECDH-based key exchange.
  if (s.ok()) s = AddKeyUsage(x, {kDigitalSignature, kKeyAgreement});
  if (s.ok()) s = AddExtendedKeyUsage(x, request.usage);
  if (s.ok()) s = AddSubjectAltNames(x, request);
  if (s.ok()) {
    s = AddDerivedExtension(x, ca_cert->get(), NID_subject_key_identifier,
                            "hash");
  }
  if (s.ok()) {
    // The CA's key id when it has one (ours always do); issuer name and
    // serial for a loaded CA without subjectKeyIdentifier.
    s = AddDerivedExtension(x, ca_cert->get(), NID_authority_key_identifier,
                            "keyid,issuer");
  }
  if (!s.ok()) return s;
  return SignToPem(x, ca_key->get());
}

}  // namespace trellis::crypto
