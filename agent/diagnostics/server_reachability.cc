// server-reachability: can this device reach the Trellis server it is
// enrolled with? DNS, TCP connect and TLS handshake, each timed.
//
// Basic class: the server address comes from the agent's own state and the
// server already knows the device reaches it (or not).
#include "absl/strings/str_cat.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "common/net/ip_address.h"

namespace trellis::agent::diagnostics {
namespace {

absl::Status Run(DiagnosticContext& context) {
  auto record = context.env().state->LoadRecord();
  if (!record.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no server address: this device is not enrolled or its record "
        "cannot be read (",
        record.status().message(), ")"));
  }
  const std::string& address = record->server_address;
  auto endpoint = net::ParseEndpoint(address);
  if (!endpoint.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the server address in the agent's state, '", address,
                     "', is not host:port: ", endpoint.status().message()));
  }
  context.Line(absl::StrCat("server: ", address));
  auto addresses = TimedResolve(context, "dns", endpoint->host);
  if (!addresses.ok()) return addresses.status();
  if (absl::Status s = TimedConnect(context, *addresses, endpoint->port);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
  const absl::Time start = context.clock().Now();
  absl::Status tls =
      context.env().network->TlsHandshake(address, context.Remaining());
  const absl::Duration took = context.clock().Now() - start;
  if (!tls.ok()) {
    context.Line(
        absl::StrCat("tls: failed after ", Millis(took), ": ", tls.message()));
    return absl::Status(tls.code(),
                        absl::StrCat("TLS handshake failed: ", tls.message()));
  }
  context.Line(absl::StrCat("tls: handshake completed in ", Millis(took),
                            " (connect included: a connection of its own)"));
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec ServerReachability() {
  return MakeDiagnostic(
      "server-reachability", PrivacyClass::kBasic, absl::Seconds(20), 4 << 10,
      "resolve the Trellis server's name, then time a TCP connect and a TLS "
      "handshake to it",
      Run);
}

}  // namespace trellis::agent::diagnostics
