// The enrolment token string, shown to an admin once and typed or pasted
// on the device:
//
//   trellis1.<token id>.<secret>.<CA fingerprint>.<server address>
//
// token id:       13 characters of lower-case base32 (8 random bytes); public,
//                 used to find the token and to revoke it.
// secret:         base64url of 32 random bytes; the server stores only its
//                 SHA-256.
// CA fingerprint: base64url of SHA-256 over the CA certificate's DER; the
//                 agent pins the server's CA to it on first contact, so no
//                 trust is placed in whoever answers first.
// server address: base64url of "host:port", so the agent needs nothing else.
#ifndef TRELLIS_COMMON_ENROLLMENT_TOKEN_H_
#define TRELLIS_COMMON_ENROLLMENT_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace trellis::enrollment {

inline constexpr absl::string_view kTokenPrefix = "trellis1";
inline constexpr size_t kSecretBytes = 32;

struct EnrollmentToken {
  std::string token_id;
  std::string secret;                 // raw bytes
  std::string ca_fingerprint_sha256;  // raw 32 bytes
  std::string server_address;         // host:port
};

// Makes a fresh token with random id and secret.
EnrollmentToken NewToken(const std::string& ca_fingerprint_sha256,
                         const std::string& server_address);

std::string FormatToken(const EnrollmentToken& token);

// Strict parse; InvalidArgument naming the part that is wrong. Never echoes
// the secret in an error.
absl::StatusOr<EnrollmentToken> ParseToken(absl::string_view text);

// What the server stores instead of the secret.
std::string HashSecret(absl::string_view secret);

// True when `token_id` has the shape of a token id (13 base32 characters).
bool IsValidTokenId(absl::string_view token_id);

}  // namespace trellis::enrollment

#endif  // TRELLIS_COMMON_ENROLLMENT_TOKEN_H_
