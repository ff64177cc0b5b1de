// vpn-gateway-reachability: can this device reach its VPN gateway?
//
// WireGuard runs over UDP, which has no connection to time, and a gateway
// answers nothing but a handshake from a peer it knows. So this resolves the
// gateway's name and reports the tunnel's latest handshake with its age:
// a live tunnel hands shake again at least every 2 minutes while traffic
// flows (and every keepalive interval when one is set), so a recent
// handshake is the proof of reachability and an old or missing one is the
// symptom.
//
// Basic class: the gateway comes from the server's own assignment and the
// handshake time is VPN state the gateway already sees.
#include "absl/strings/str_cat.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "common/net/ip_address.h"

namespace trellis::agent::diagnostics {
namespace {

// WireGuard's REKEY_AFTER_TIME plus its retry window: older than this, the
// tunnel is not carrying traffic to the gateway.
constexpr absl::Duration kStaleHandshake = absl::Minutes(3);

absl::Status Run(DiagnosticContext& context) {
  auto last = LoadLastCheckIn(*context.env().state);
  if (!last.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no VPN gateway known: ", last.status().message()));
  }
  const std::string& gateway = last->vpn().profile().gateway_endpoint();
  if (gateway.empty()) {
    return absl::FailedPreconditionError(
        "no VPN gateway known: the last check-in assigned no VPN profile");
  }
  auto endpoint = net::ParseEndpoint(gateway);
  if (!endpoint.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the assigned gateway '", gateway,
                     "' is not host:port: ", endpoint.status().message()));
  }
  context.Line(absl::StrCat("gateway: ", gateway, " (WireGuard, UDP)"));
  auto addresses = TimedResolve(context, "dns", endpoint->host);
  if (!addresses.ok()) return addresses.status();
  context.Line(
      "udp: no connection to time; the tunnel's latest handshake shows "
      "whether the gateway answers");
  if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
  auto tunnel = TunnelFor(context);
  TunnelObservation seen = tunnel->Observe();
  if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
  if (!seen.known) {
    return absl::UnavailableError(
        absl::StrCat("cannot read the tunnel: ", seen.detail));
  }
  if (!seen.present) {
    return absl::FailedPreconditionError(absl::StrCat(
        tunnel->Describe(), " does not exist: the tunnel is not set up"));
  }
  if (!seen.peer_endpoint.empty()) {
    context.Line(absl::StrCat("tunnel peer endpoint: ", seen.peer_endpoint));
  }
  if (!seen.latest_handshake) {
    return absl::UnavailableError(absl::StrCat(
        tunnel->Describe(), ": no handshake with the gateway yet (UDP to ",
        gateway, " may be blocked)"));
  }
  const absl::Duration age = context.clock().Now() - *seen.latest_handshake;
  context.Line(absl::StrCat("handshake: latest ", Age(age)));
  if (age > kStaleHandshake) {
    return absl::UnavailableError(absl::StrCat(
        "the latest handshake is ", Age(age),
        ": the gateway has not answered recently (UDP to ", gateway,
        " may be blocked, or the tunnel is idle without keepalive)"));
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec VpnGatewayReachability() {
  return MakeDiagnostic(
      "vpn-gateway-reachability", PrivacyClass::kBasic, absl::Seconds(20),
      4 << 10,
      "resolve the assigned VPN gateway and report the tunnel's latest "
      "WireGuard handshake and its age",
      Run);
}

}  // namespace trellis::agent::diagnostics
