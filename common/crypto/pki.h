// X.509 and key handling for Trellis' private PKI: the server's CA issues
// device, operator, gateway and server certificates; agents make their own
// keys and send CSRs. EC P-256 throughout. OpenSSL 3 underneath; no OpenSSL
// types leak out of this header.
#ifndef TRELLIS_COMMON_CRYPTO_PKI_H_
#define TRELLIS_COMMON_CRYPTO_PKI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis::crypto {

// A PEM-encoded EC P-256 key pair (PKCS#8 "PRIVATE KEY").
struct KeyPair {
  std::string private_key_pem;
  std::string public_key_pem;  // SubjectPublicKeyInfo "PUBLIC KEY"
};

// Generates a fresh EC P-256 key pair.
absl::StatusOr<KeyPair> GenerateKeyPair();

// Returns the public key PEM of a private key PEM. Errors name what is wrong.
absl::StatusOr<std::string> PublicKeyFromPrivate(
    const std::string& private_key_pem);

// SHA-256 of the DER SubjectPublicKeyInfo of a public key PEM (32 raw bytes).
// This is the key's identity everywhere in Trellis.
absl::StatusOr<std::string> PublicKeySha256(const std::string& public_key_pem);

// Makes a PKCS#10 CSR signed by the key. The subject is informational; the
// server ignores it.
absl::StatusOr<std::string> MakeCsr(const std::string& private_key_pem,
                                    const std::string& common_name);

// Parses a PEM CSR, verifies its self-signature, requires an EC P-256 key,
// and returns the public key PEM. Everything else in the CSR is ignored.
// Errors (InvalidArgument) say which of those failed.
absl::StatusOr<std::string> PublicKeyFromCsr(const std::string& csr_pem);

enum class CertUsage {
  kClient,  // extendedKeyUsage clientAuth
  kServer,  // extendedKeyUsage serverAuth
};

// Everything the server decides about a certificate it issues.
struct CertRequest {
  std::string public_key_pem;
  std::string common_name;
  // Organisational unit, used to tell identity kinds apart:
  // "device", "operator", "gateway", "server".
  std::string organizational_unit;
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries
  CertUsage usage = CertUsage::kClient;
  absl::Time not_before;
  absl::Time not_after;
};

// Parsed view of a certificate.
struct CertificateInfo {
  std::string common_name;
  std::string organizational_unit;
  std::string serial_hex;
  absl::Time not_before;
  absl::Time not_after;
  std::string public_key_pem;
  std::string public_key_sha256;   // raw 32 bytes, as PublicKeySha256
  std::string fingerprint_sha256;  // raw 32 bytes of SHA-256(DER cert)
  bool is_ca = false;
};

absl::StatusOr<CertificateInfo> ParseCertificate(const std::string& cert_pem);

// Splits concatenated PEM text into its certificate blocks (in order).
std::vector<std::string> SplitPemCertificates(const std::string& pem_text);

// SHA-256 over the DER encoding of the first certificate in cert_pem.
absl::StatusOr<std::string> CertificateFingerprintSha256(
    const std::string& cert_pem);

// True when cert_pem was signed by ca_cert_pem's key and the CA certificate
// is a CA. Validity times are checked against `now`.
absl::Status VerifyIssuedBy(const std::string& cert_pem,
                            const std::string& ca_cert_pem, absl::Time now);

// A certificate authority: its certificate and its private key.
class CertificateAuthority {
 public:
  // Creates a new self-signed CA (EC P-256, basicConstraints CA:true,
  // keyUsage keyCertSign+cRLSign) valid from `now` for `lifetime`.
  static absl::StatusOr<CertificateAuthority> Create(
      const std::string& common_name, absl::Time now, absl::Duration lifetime);

  // Loads an existing CA; checks the key matches the certificate.
  static absl::StatusOr<CertificateAuthority> Load(
      const std::string& cert_pem, const std::string& private_key_pem);

  const std::string& certificate_pem() const { return cert_pem_; }
  const std::string& private_key_pem() const { return key_pem_; }

  // Issues a certificate (PEM) with a random 128-bit serial, signed with
  // SHA-256. Only fields from `request` are used.
  absl::StatusOr<std::string> Issue(const CertRequest& request) const;

 private:
  CertificateAuthority(std::string cert_pem, std::string key_pem)
      : cert_pem_(std::move(cert_pem)), key_pem_(std::move(key_pem)) {}
  std::string cert_pem_;
  std::string key_pem_;
};

}  // namespace trellis::crypto

#endif  // TRELLIS_COMMON_CRYPTO_PKI_H_
