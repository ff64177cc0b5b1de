#include "agent/vpn/tls_beacon_prober.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/net/ip_address.h"
#include "common/net/tls_peer_certificate.h"

namespace trellis::agent {

absl::StatusOr<std::string> TlsBeaconProber::LeafCertificateSha256(
    absl::string_view address, absl::Duration timeout) {
  // A malformed address is the profile's fault, not the beacon's.
  if (absl::Status valid = net::ValidateEndpoint(address); !valid.ok()) {
    return valid;
  }
  net::TlsPeerOptions options;
  options.timeout = timeout;
  absl::StatusOr<std::vector<std::string>> certificates =
      net::FetchPeerCertificates(address, options);
  absl::StatusOr<std::string> digest =
      certificates.ok()
          ? crypto::CertificateFingerprintSha256(certificates->front())
          : certificates.status();
  if (!digest.ok()) {
    return absl::Status(
        digest.status().code(),
        absl::StrCat("beacon ", address, ": ", digest.status().message()));
  }
  return digest;
}

}  // namespace trellis::agent
