// The one file `trellis-server operator create` writes and
// `trellisctl --credentials FILE` reads:
//
//   # Trellis operator credentials
//   server: 127.0.0.1:8443
//   operator: alice
//   role: admin
//   -----BEGIN CERTIFICATE-----   (the operator's certificate)
//   -----BEGIN PRIVATE KEY-----   (its key; the file is 0600)
//   -----BEGIN CERTIFICATE-----   (the server's CA)
#ifndef TRELLIS_COMMON_IDENTITY_OPERATOR_CREDENTIALS_H_
#define TRELLIS_COMMON_IDENTITY_OPERATOR_CREDENTIALS_H_

#include <string>

#include "absl/status/statusor.h"

namespace trellis::identity {

struct OperatorCredentials {
  std::string server_address;
  std::string operator_name;
  std::string role;
  std::string certificate_pem;
  std::string private_key_pem;
  std::string ca_certificate_pem;
};

std::string FormatOperatorCredentials(const OperatorCredentials& creds);

// InvalidArgument naming the missing or malformed part.
absl::StatusOr<OperatorCredentials> ParseOperatorCredentials(
    const std::string& text);

}  // namespace trellis::identity

#endif  // TRELLIS_COMMON_IDENTITY_OPERATOR_CREDENTIALS_H_
