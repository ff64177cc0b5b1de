#include "server/pki/server_pki.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/identity/device_id.h"
#include "common/util/files.h"
#include "common/util/logging.h"

namespace trellis::server {
namespace {

constexpr absl::Duration kCaLifetime = absl::Hours(24 * 365 * 10);
constexpr absl::Duration kServerCertLifetime = absl::Hours(24 * 365);
constexpr absl::Duration kServerCertRenewBefore = absl::Hours(24 * 30);
// Tolerates clocks on other machines a little behind ours.
constexpr absl::Duration kBackdate = absl::Minutes(5);

std::string PathIn(const std::string& dir, const char* name) {
  return absl::StrCat(dir, "/", name);
}

absl::Status CheckPrivate(const std::string& path) {
  absl::StatusOr<int> mode = FileMode(path);
  if (!mode.ok()) return mode.status();
  if ((*mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is readable by others (mode %o); run chmod 600 on it", path,
        *mode));
  }
  return absl::OkStatus();
}

absl::StatusOr<crypto::CertificateAuthority> LoadOrCreateCa(
    const std::string& dir, const Clock& clock) {
  std::string cert_path = PathIn(dir, "ca.crt");
  std::string key_path = PathIn(dir, "ca.key");
  if (FileExists(cert_path) || FileExists(key_path)) {
    absl::Status private_ok = CheckPrivate(key_path);
    if (!private_ok.ok()) return private_ok;
    auto cert = ReadFile(cert_path);
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(key_path);
    if (!key.ok()) return key.status();
    auto ca = crypto::CertificateAuthority::Load(*cert, *key);
    if (!ca.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot load the CA from ", dir, ": ", ca.status().message()));
    }
    return ca;
  }
  auto ca = crypto::CertificateAuthority::Create(
      "Trellis device CA", clock.Now() - kBackdate, kCaLifetime);
  if (!ca.ok()) return ca.status();
  absl::Status s = WriteFileAtomic(key_path, ca->private_key_pem(), 0600);
  if (s.ok()) s = WriteFileAtomic(cert_path, ca->certificate_pem(), 0644);
  if (!s.ok()) return s;
  LogInfo("pki: created a new CA in ", dir);
  return ca;
}

// <dir>/<name>.key (0600) and <dir>/<name>.pub, created on first start.
absl::StatusOr<crypto::Ed25519KeyPair> LoadOrCreateEd25519Key(
    const std::string& dir, absl::string_view name) {
  std::string key_path = absl::StrCat(dir, "/", name, ".key");
  std::string pub_path = absl::StrCat(dir, "/", name, ".pub");
  if (FileExists(key_path)) {
    absl::Status private_ok = CheckPrivate(key_path);
    if (!private_ok.ok()) return private_ok;
    auto key = ReadFile(key_path);
    auto pub = ReadFile(pub_path);
    if (!key.ok()) return key.status();
    if (!pub.ok()) return pub.status();
    return crypto::Ed25519KeyPair{*std::move(key), *std::move(pub)};
  }
  auto keys = crypto::GenerateEd25519Key();
  if (!keys.ok()) return keys.status();
  absl::Status s = WriteFileAtomic(key_path, keys->private_key_pem, 0600);
  if (s.ok()) s = WriteFileAtomic(pub_path, keys->public_key_pem, 0644);
  if (!s.ok()) return s;
  LogInfo("pki: created the ", name, " key in ", dir);
  return keys;
}

}  // namespace

absl::StatusOr<crypto::CertificateAuthority> LoadCa(
    const std::string& state_dir) {
  if (!FileExists(PathIn(state_dir, "ca.crt"))) {
    return absl::NotFoundError(absl::StrCat(
        "no CA in ", state_dir, "; start trellis-server once to create it"));
  }
  return LoadOrCreateCa(state_dir, *Clock::Real());
}

absl::StatusOr<ServerPki> LoadOrCreateServerPki(
    const std::string& state_dir, const std::vector<std::string>& dns_names,
    const std::vector<std::string>& ip_addresses, const Clock& clock) {
  absl::Status dir_ok = MakeDirs(state_dir, 0700);
  if (!dir_ok.ok()) return dir_ok;
  auto ca = LoadOrCreateCa(state_dir, clock);
  if (!ca.ok()) return ca.status();
  auto fingerprint =
      crypto::CertificateFingerprintSha256(ca->certificate_pem());
  if (!fingerprint.ok()) return fingerprint.status();

  std::string cert_path = PathIn(state_dir, "server.crt");
  std::string key_path = PathIn(state_dir, "server.key");
  std::string names_path = PathIn(state_dir, "server.names");
  std::string names = absl::StrCat("dns=", absl::StrJoin(dns_names, ","),
                                   " ip=", absl::StrJoin(ip_addresses, ","));
  auto signing = LoadOrCreateEd25519Key(state_dir, "policy-signing");
  if (!signing.ok()) return signing.status();
  auto audit = LoadOrCreateEd25519Key(state_dir, "audit-signing");
  if (!audit.ok()) return audit.status();
  ServerPki pki{*std::move(ca),      *std::move(fingerprint), "", "",
                *std::move(signing), *std::move(audit)};

  // Reuse the existing certificate when it still fits.
  auto cert = ReadFile(cert_path);
  auto key = ReadFile(key_path);
  auto old_names = ReadFile(names_path);
  if (cert.ok() && key.ok() && old_names.ok() && *old_names == names &&
      CheckPrivate(key_path).ok()) {
    auto info = crypto::ParseCertificate(*cert);
    if (info.ok() && info->not_after - clock.Now() > kServerCertRenewBefore &&
        crypto::VerifyIssuedBy(*cert, pki.ca.certificate_pem(), clock.Now())
            .ok()) {
      pki.server_cert_pem = *std::move(cert);
      pki.server_key_pem = *std::move(key);
      return pki;
    }
  }

  auto keys = crypto::GenerateKeyPair();
  if (!keys.ok()) return keys.status();
  crypto::CertRequest request;
  request.public_key_pem = keys->public_key_pem;
  request.common_name = "trellis-server";
  request.organizational_unit = std::string(identity::kServerUnit);
  request.dns_names = dns_names;
  request.ip_addresses = ip_addresses;
  request.usage = crypto::CertUsage::kServer;
  request.not_before = clock.Now() - kBackdate;
  request.not_after = clock.Now() + kServerCertLifetime;
  auto issued = pki.ca.Issue(request);
  if (!issued.ok()) return issued.status();
  absl::Status s = WriteFileAtomic(key_path, keys->private_key_pem, 0600);
  if (s.ok()) s = WriteFileAtomic(cert_path, *issued, 0644);
  if (s.ok()) s = WriteFileAtomic(names_path, names, 0644);
  if (!s.ok()) return s;
  LogInfo("pki: issued the server TLS certificate for ", names);
  pki.server_cert_pem = *std::move(issued);
  pki.server_key_pem = keys->private_key_pem;
  return pki;
}

}  // namespace trellis::server
