#include "common/enrollment/token.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::enrollment {
namespace {

constexpr size_t kTokenIdBytes = 8;
constexpr size_t kTokenIdChars = 13;
constexpr size_t kMaxAddressBytes = 261;  // 255-byte host + ":" + port

bool IsBase32Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

absl::Status CheckAddress(absl::string_view address) {
  if (address.empty() || address.size() > kMaxAddressBytes) {
    return absl::InvalidArgumentError(
        "enrolment token: server address is empty or too long");
  }
  for (char c : address) {
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(
          "enrolment token: server address has a non-printable character");
    }
  }
  // host:port, [v6]:port
  size_t colon;
  if (address.front() == '[') {
    size_t close = address.find(']');
    if (close == absl::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return absl::InvalidArgumentError(
          "enrolment token: server address has no port");
    }
    colon = close + 1;
  } else {
    colon = address.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "enrolment token: server address has no port");
    }
    if (address.find(':', colon + 1) != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "enrolment token: server address must be host:port or [v6]:port");
    }
  }
  if (colon == 0) {
    return absl::InvalidArgumentError(
        "enrolment token: server address has no host");
  }
  if (colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        "enrolment token: server address has no port");
  }
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        "enrolment token: server address port is not a number from 1 to "
        "65535");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidTokenId(absl::string_view token_id) {
  if (token_id.size() != kTokenIdChars) return false;
  for (char c : token_id) {
    if (!IsBase32Char(c)) return false;
  }
  return true;
}

EnrollmentToken NewToken(const std::string& ca_fingerprint_sha256,
                         const std::string& server_address) {
  EnrollmentToken token;
  token.token_id = Base32Encode(crypto::RandomBytes(kTokenIdBytes));
  token.secret = crypto::RandomBytes(kSecretBytes);
  token.ca_fingerprint_sha256 = ca_fingerprint_sha256;
  token.server_address = server_address;
  return token;
}

std::string FormatToken(const EnrollmentToken& token) {
  return absl::StrJoin(
      {std::string(kTokenPrefix), token.token_id, Base64UrlEncode(token.secret),
       Base64UrlEncode(token.ca_fingerprint_sha256),
       Base64UrlEncode(token.server_address)},
      ".");
}

absl::StatusOr<EnrollmentToken> ParseToken(absl::string_view text) {
  // Tolerate what copy and paste adds around a token, nothing inside it.
  text = absl::StripAsciiWhitespace(text);
  if (text.size() > 512) {
    return absl::InvalidArgumentError("enrolment token is too long");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 5 || parts[0] != kTokenPrefix) {
    return absl::InvalidArgumentError(
        "enrolment token is malformed: expected "
        "trellis1.<id>.<secret>.<ca-fingerprint>.<address>");
  }
  EnrollmentToken token;
  if (!IsValidTokenId(parts[1])) {
    return absl::InvalidArgumentError(
        "enrolment token: token id is not 13 base32 characters");
  }
  token.token_id = std::string(parts[1]);
  auto secret = Base64UrlDecode(parts[2]);
  if (!secret || secret->size() != kSecretBytes) {
    return absl::InvalidArgumentError(
        "enrolment token: secret part is not 32 base64url-encoded bytes");
  }
  token.secret = *std::move(secret);
  auto fingerprint = Base64UrlDecode(parts[3]);
  if (!fingerprint || fingerprint->size() != 32) {
    return absl::InvalidArgumentError(
        "enrolment token: CA fingerprint is not a base64url SHA-256 digest");
  }
  token.ca_fingerprint_sha256 = *std::move(fingerprint);
  auto address = Base64UrlDecode(parts[4]);
  if (!address) {
    return absl::InvalidArgumentError(
        "enrolment token: server address part is not base64url");
  }
  absl::Status address_ok = CheckAddress(*address);
  if (!address_ok.ok()) return address_ok;
  token.server_address = *std::move(address);
  return token;
}

std::string HashSecret(absl::string_view secret) {
  return crypto::Sha256(secret);
}

}  // namespace trellis::enrollment
