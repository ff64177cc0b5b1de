// The real beacon prober: a TLS handshake (net::FetchPeerCertificates)
// bounded by the timeout. No CA validation: the pinned fingerprint is the
// whole trust decision, so a beacon may use a self-signed certificate.
#ifndef TRELLIS_AGENT_VPN_TLS_BEACON_PROBER_H_
#define TRELLIS_AGENT_VPN_TLS_BEACON_PROBER_H_

#include "agent/vpn/beacon_prober.h"

namespace trellis::agent {

class TlsBeaconProber : public BeaconProber {
 public:
  // Name resolution (getaddrinfo) is not covered by the timeout; connect
  // and handshake are.
  absl::StatusOr<std::string> LeafCertificateSha256(
      absl::string_view address, absl::Duration timeout) override;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_TLS_BEACON_PROBER_H_
