#include "server/pki/server_pki.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/identity/device_id.h"
#include "common/util/files.h"
#include "common/util/logging.h"
#include "server/pki/state_files.h"

namespace trellis::server {
namespace {

constexpr absl::Duration kCaLifetime = absl::Hours(24 * 365 * 10);
constexpr absl::Duration kServerCertLifetime = absl::Hours(24 * 365);
constexpr absl::Duration kServerCertRenewBefore = absl::Hours(24 * 30);
// Tolerates clocks on other machines a little behind ours.
constexpr absl::Duration kBackdate = absl::Minutes(5);

std::string PathIn(const std::string& dir, absl::string_view name) {
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

// What to do about a damaged file, by how replaceable it is.
constexpr char kRestoreAdvice[] =
    "; restore it from a backup of the state directory (a new one would "
    "cut off every enrolled device)";
constexpr char kReissueAdvice[] =
    "; delete server.crt and server.key and restart to issue new ones";

absl::Status WithAdvice(const absl::Status& status, absl::string_view advice) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(status.message(), advice));
}

// A PEM state file that must also be private.
absl::StatusOr<std::string> ReadPrivatePemFile(const std::string& path) {
  absl::Status private_ok = CheckPrivate(path);
  if (!private_ok.ok()) return private_ok;
  return ReadPemStateFile(path);
}

// A certificate file and its key file, each parsed; errors name the file.
struct CertAndKey {
  std::string cert_pem;
  std::string key_pem;
  crypto::CertificateInfo info;
  std::string key_public_pem;  // derived from key_pem
};
absl::StatusOr<CertAndKey> ReadCertAndKey(const std::string& cert_path,
                                          const std::string& key_path,
                                          absl::string_view advice) {
  CertAndKey out;
  auto cert = ReadPemStateFile(cert_path);
  if (!cert.ok()) return WithAdvice(cert.status(), advice);
  auto info = crypto::ParseCertificate(*cert);
  if (!info.ok()) {
    return WithAdvice(DamagedStateFile(cert_path, info.status().message()),
                      advice);
  }
  auto key = ReadPrivatePemFile(key_path);
  if (!key.ok()) return WithAdvice(key.status(), advice);
  auto public_key = crypto::PublicKeyFromPrivate(*key);
  if (!public_key.ok()) {
    return WithAdvice(DamagedStateFile(key_path, public_key.status().message()),
                      advice);
  }
  out.cert_pem = *std::move(cert);
  out.key_pem = *std::move(key);
  out.info = *std::move(info);
  out.key_public_pem = *std::move(public_key);
  return out;
}

absl::StatusOr<crypto::CertificateAuthority> LoadExistingCa(
    const std::string& dir) {
  std::string cert_path = PathIn(dir, "ca.crt");
  std::string key_path = PathIn(dir, "ca.key");
  auto files = ReadCertAndKey(cert_path, key_path, kRestoreAdvice);
  if (!files.ok()) return files.status();
  auto ca = crypto::CertificateAuthority::Load(files->cert_pem, files->key_pem);
  if (!ca.ok()) {
    return absl::DataLossError(
        absl::StrCat(cert_path, " and ", key_path,
                     " do not form a CA: ", ca.status().message()));
  }
  return ca;
}

absl::StatusOr<crypto::CertificateAuthority> LoadOrCreateCa(
    const std::string& dir, const Clock& clock) {
  std::string cert_path = PathIn(dir, "ca.crt");
  std::string key_path = PathIn(dir, "ca.key");
  if (FileExists(cert_path) || FileExists(key_path)) return LoadExistingCa(dir);
  auto ca = crypto::CertificateAuthority::Create(
      "Trellis device CA", clock.Now() - kBackdate, kCaLifetime);
  if (!ca.ok()) return ca.status();
  absl::Status s = WriteFileAtomic(key_path, ca->private_key_pem(), 0600);
  if (s.ok()) s = WriteFileAtomic(cert_path, ca->certificate_pem(), 0644);
  if (!s.ok()) return s;
  LogInfo("pki: created a new CA in ", dir);
  return ca;
}

// Both halves parse, and the public one verifies what the private one
// signs: checked by signing a probe.
absl::StatusOr<crypto::Ed25519KeyPair> LoadExistingEd25519Key(
    const std::string& key_path, const std::string& pub_path) {
  auto key = ReadPrivatePemFile(key_path);
  if (!key.ok()) return WithAdvice(key.status(), kRestoreAdvice);
  auto pub = ReadPemStateFile(pub_path);
  if (!pub.ok()) return WithAdvice(pub.status(), kRestoreAdvice);
  constexpr absl::string_view kProbe = "trellis key probe";
  auto probe = crypto::Ed25519Sign(kProbe, *key);
  if (!probe.ok()) {
    return WithAdvice(DamagedStateFile(key_path, probe.status().message()),
                      kRestoreAdvice);
  }
  auto key_id = crypto::Ed25519KeyId(*pub);
  if (!key_id.ok()) {
    return WithAdvice(DamagedStateFile(pub_path, key_id.status().message()),
                      kRestoreAdvice);
  }
  if (!crypto::Ed25519Verify(kProbe, *probe, *pub).ok()) {
    return DamagedStateFile(
        pub_path, absl::StrCat("is not the public half of ", key_path));
  }
  return crypto::Ed25519KeyPair{*std::move(key), *std::move(pub)};
}

// <dir>/<name>.key (0600) and <dir>/<name>.pub, created on first start.
absl::StatusOr<crypto::Ed25519KeyPair> LoadOrCreateEd25519Key(
    const std::string& dir, absl::string_view name) {
  std::string key_path = PathIn(dir, absl::StrCat(name, ".key"));
  std::string pub_path = PathIn(dir, absl::StrCat(name, ".pub"));
  if (FileExists(key_path) || FileExists(pub_path)) {
    return LoadExistingEd25519Key(key_path, pub_path);
  }
  auto keys = crypto::GenerateEd25519Key();
  if (!keys.ok()) return keys.status();
  absl::Status s = WriteFileAtomic(key_path, keys->private_key_pem, 0600);
  if (s.ok()) s = WriteFileAtomic(pub_path, keys->public_key_pem, 0644);
  if (!s.ok()) return s;
  LogInfo("pki: created the ", name, " key in ", dir);
  return keys;
}

// The stored TLS certificate and key when both are there; a damaged one is
// an error, a missing one (or both) means "issue anew".
absl::StatusOr<std::optional<CertAndKey>> LoadStoredServerCert(
    const std::string& dir) {
  std::string cert_path = PathIn(dir, "server.crt");
  std::string key_path = PathIn(dir, "server.key");
  if (!FileExists(cert_path) || !FileExists(key_path)) return std::nullopt;
  auto files = ReadCertAndKey(cert_path, key_path, kReissueAdvice);
  if (!files.ok()) return files.status();
  auto key_hash = crypto::PublicKeySha256(files->key_public_pem);
  if (!key_hash.ok()) return key_hash.status();
  if (*key_hash != files->info.public_key_sha256) {
    return WithAdvice(
        DamagedStateFile(key_path,
                         absl::StrCat("is not the key of ", cert_path)),
        kReissueAdvice);
  }
  return *std::move(files);
}

}  // namespace

absl::StatusOr<crypto::CertificateAuthority> LoadCa(
    const std::string& state_dir) {
  if (!FileExists(PathIn(state_dir, "ca.crt"))) {
    return absl::NotFoundError(absl::StrCat(
        "no CA in ", state_dir, "; start trellis-server once to create it"));
  }
  return LoadExistingCa(state_dir);
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

  // Reuse the existing certificate when it still fits: same names, not near
  // expiry, issued by this CA. server.names is only a note of the names the
  // certificate was issued for, so any other content just means "reissue".
  auto stored = LoadStoredServerCert(state_dir);
  if (!stored.ok()) return stored.status();
  auto old_names = ReadFile(names_path);
  if (stored->has_value() && old_names.ok() && *old_names == names) {
    const CertAndKey& current = **stored;
    if (current.info.not_after - clock.Now() > kServerCertRenewBefore &&
        crypto::VerifyIssuedBy(current.cert_pem, pki.ca.certificate_pem(),
                               clock.Now())
            .ok()) {
      pki.server_cert_pem = current.cert_pem;
      pki.server_key_pem = current.key_pem;
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
