// clock-skew: the device's clock against the server's. Certificates, token
// expiry and grace deadlines all compare times, so a skewed clock shows up
// as puzzling TLS and enrolment errors.
//
// The server's time comes through ServerClock, which the live channel
// provides (a round trip on its open stream); the skew is taken against
// the middle of the round trip, so it is accurate to half the round trip.
// Without a ServerClock (the local command) the diagnostic says so.
//
// Basic class: the device's clock reading only.
#include "absl/strings/str_cat.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"

namespace trellis::agent::diagnostics {
namespace {

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S UTC", t, absl::UTCTimeZone());
}

absl::Status Run(DiagnosticContext& context) {
  ServerClock* server = context.env().server_clock;
  const absl::Time before = context.clock().Now();
  context.Line(absl::StrCat("device time: ", When(before)));
  if (server == nullptr) {
    return absl::FailedPreconditionError(
        "the server's time is not available here: clock skew is measured "
        "over the agent's live connection to the server (run it from the "
        "help desk)");
  }
  auto server_now = server->ServerNow(context.Remaining());
  const absl::Time after = context.clock().Now();
  if (!server_now.ok()) {
    return absl::Status(server_now.status().code(),
                        absl::StrCat("cannot read the server's time: ",
                                     server_now.status().message()));
  }
  const absl::Duration round_trip = after - before;
  const absl::Duration skew = *server_now - (before + round_trip / 2);
  context.Line(absl::StrCat("server time: ", When(*server_now)));
  context.Line(
      absl::StrCat("skew: the device is ", Millis(absl::AbsDuration(skew)),
                   skew > absl::ZeroDuration() ? " behind" : " ahead of",
                   " the server (round trip ", Millis(round_trip), ", +/- ",
                   Millis(round_trip / 2), ")"));
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec ClockSkew() {
  return MakeDiagnostic("clock-skew", PrivacyClass::kBasic, absl::Seconds(10),
                        2 << 10, "the device's clock against the server's",
                        Run);
}

}  // namespace trellis::agent::diagnostics
