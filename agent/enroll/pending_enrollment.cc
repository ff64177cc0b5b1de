#include "agent/enroll/pending_enrollment.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/state/local_error.h"
#include "common/crypto/pki.h"
#include "common/util/files.h"
#include "common/util/logging.h"

namespace trellis::agent {
namespace {

constexpr char kTokenLine[] = "token_id: ";
constexpr size_t kTokenLineSize = sizeof(kTokenLine) - 1;
constexpr char kCsrBegin[] = "-----BEGIN CERTIFICATE REQUEST-----";

}  // namespace

std::string FormatPendingEnrollment(const PendingEnrollment& p) {
  return absl::StrCat(
      "# trellis-agent: enrolment in progress; removed once enrolled\n",
      kTokenLine, p.token_id, "\n", p.private_key_pem, p.csr_pem);
}

absl::StatusOr<PendingEnrollment> ParsePendingEnrollment(
    const std::string& text) {
  PendingEnrollment p;
  size_t id_at = text.find(kTokenLine);
  if (id_at == std::string::npos) {
    return absl::DataLossError("no 'token_id:' line");
  }
  size_t id_end = text.find('\n', id_at);
  if (id_end == std::string::npos) {
    return absl::DataLossError("nothing after the 'token_id:' line");
  }
  p.token_id = std::string(absl::StripAsciiWhitespace(text.substr(
      id_at + kTokenLineSize, id_end - id_at - kTokenLineSize)));
  size_t csr_at = text.find(kCsrBegin, id_end);
  if (csr_at == std::string::npos) {
    return absl::DataLossError("no certificate request");
  }
  p.private_key_pem = text.substr(id_end + 1, csr_at - id_end - 1);
  p.csr_pem = text.substr(csr_at);
  auto key_public = crypto::PublicKeyFromPrivate(p.private_key_pem);
  if (!key_public.ok()) {
    return absl::DataLossError(
        absl::StrCat("private key: ", key_public.status().message()));
  }
  auto csr_public = crypto::PublicKeyFromCsr(p.csr_pem);
  if (!csr_public.ok()) {
    return absl::DataLossError(
        absl::StrCat("certificate request: ", csr_public.status().message()));
  }
  if (*csr_public != *key_public) {
    return absl::DataLossError("the certificate request is not for the key");
  }
  p.public_key_pem = *key_public;
  return p;
}

absl::StatusOr<PendingEnrollment> LoadOrCreatePendingEnrollment(
    const AgentState& state, const std::string& token_id) {
  const std::string path = state.PendingEnrollmentPath();
  if (FileExists(path)) {
    auto text = ReadFile(path);
    if (!text.ok()) return LocalError(text.status(), "reading " + path);
    auto pending = ParsePendingEnrollment(*text);
    if (!pending.ok()) {
      return absl::DataLossError(
          absl::StrCat(path, ": ", pending.status().message(),
                       "; remove it to enrol with a new key"));
    }
    if (pending->token_id == token_id) return pending;
    // Another token: the old key may be spent with the old one; start over.
    LogInfo("enrol: ", path, " was for token ", pending->token_id,
            "; making a new key for token ", token_id);
  }
  // The key is made here and never leaves the device.
  auto keys = crypto::GenerateKeyPair();
  if (!keys.ok()) return keys.status();
  auto csr = crypto::MakeCsr(keys->private_key_pem, "trellis-device");
  if (!csr.ok()) return csr.status();
  PendingEnrollment pending{token_id, keys->private_key_pem,
                            keys->public_key_pem, *csr};
  absl::Status s =
      LocalError(MakeDirs(state.dir(), 0700), "creating the state directory");
  if (s.ok()) {
    s = state.WriteStateFile(path, FormatPendingEnrollment(pending), 0600);
  }
  if (!s.ok()) return s;
  return pending;
}

absl::Status ClearPendingEnrollment(const AgentState& state) {
  const std::string path = state.PendingEnrollmentPath();
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    return LocalError(absl::InternalError(std::strerror(errno)),
                      "cannot remove " + path);
  }
  return absl::OkStatus();
}

}  // namespace trellis::agent
