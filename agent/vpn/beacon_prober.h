// A TLS beacon proves the device sits on a trusted network: only there does
// host:port answer with the certificate whose SHA-256 the profile pins.
// Probing is behind this interface so trusted-network logic is tested
// without a network.
#ifndef TRELLIS_AGENT_VPN_BEACON_PROBER_H_
#define TRELLIS_AGENT_VPN_BEACON_PROBER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace trellis::agent {

class BeaconProber {
 public:
  virtual ~BeaconProber() = default;
  // Connects to `address` (host:port), completes a TLS handshake without
  // validating the chain, and returns the raw 32-byte SHA-256 of the leaf
  // certificate's DER. Errors say what failed (resolve, connect, handshake,
  // timeout).
  virtual absl::StatusOr<std::string> LeafCertificateSha256(
      absl::string_view address, absl::Duration timeout) = 0;
};

// True when `pinned_hex` (64 hex digits, any case, ':' separators allowed)
// names `sha256` (32 raw bytes).
bool FingerprintMatches(absl::string_view pinned_hex, absl::string_view sha256);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_BEACON_PROBER_H_
