// vpn-status: the VPN part of `trellis-agent status` (the server's
// assignment, what the agent last did with the tunnel, the interface as it
// is now) plus the age of the latest handshake.
//
// Basic class: the same VPN state the employee's `status` shows and the
// gateway already sees.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/cli/vpn_status_view.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "agent/vpn/vpn_status_file.h"

namespace trellis::agent::diagnostics {
namespace {

// Keeps what the controller observed, so the handshake age is computed
// from the same reading `status` renders.
class RememberingTunnel : public TunnelController {
 public:
  explicit RememberingTunnel(TunnelController& inner) : inner_(inner) {}
  absl::StatusOr<ApplyResult> Apply(const TunnelPlan&) override {
    return absl::FailedPreconditionError("diagnostics never change the tunnel");
  }
  TunnelObservation Observe() override { return seen_ = inner_.Observe(); }
  std::string Describe() const override { return inner_.Describe(); }
  const TunnelObservation& seen() const { return seen_; }

 private:
  TunnelController& inner_;
  TunnelObservation seen_;
};

absl::Status Run(DiagnosticContext& context) {
  const AgentState& state = *context.env().state;
  auto last = LoadLastCheckIn(state);
  auto record = LoadVpnStatus(state);
  VpnView view = VpnViewFrom(last.ok() ? &*last : nullptr,
                             record.ok() ? &*record : nullptr);
  auto tunnel = TunnelFor(context);
  RememberingTunnel remembering(*tunnel);
  ObserveTunnel(&remembering, view);
  if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
  for (absl::string_view line :
       absl::StrSplit(RenderVpnView(view), '\n', absl::SkipEmpty())) {
    context.Line(line);
  }
  if (remembering.seen().latest_handshake) {
    context.Line(absl::StrCat(
        "Handshake age: ",
        Age(context.clock().Now() - *remembering.seen().latest_handshake)));
  }
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec VpnStatus() {
  return MakeDiagnostic(
      "vpn-status", PrivacyClass::kBasic, absl::Seconds(15), 4 << 10,
      "VPN assignment, the agent's tunnel decision, the interface's state and "
      "the latest handshake",
      Run);
}

}  // namespace trellis::agent::diagnostics
