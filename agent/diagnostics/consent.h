// The employee's consent to detailed diagnostics on a personal device: a
// small file in the agent's state directory, written only by a local
// `trellis-agent consent grant` (so only someone at the device, with write
// access to the state directory, can give it) and always with an end:
// 1 hour by default, 24 hours at most. Corporate devices need no consent.
//
//   <state>/diagnostics-consent   "granted_at: <unix s>\nexpires_at: <unix
//   s>\n"
#ifndef TRELLIS_AGENT_DIAGNOSTICS_CONSENT_H_
#define TRELLIS_AGENT_DIAGNOSTICS_CONSENT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/diagnostics/diagnostic.h"
#include "agent/state/agent_state.h"
#include "common/util/clock.h"

namespace trellis::agent::diagnostics {

inline constexpr absl::Duration kDefaultConsent = absl::Hours(1);
inline constexpr absl::Duration kMaxConsent = absl::Hours(24);

// What the refusal says, so the employee knows how to allow it.
extern const char kConsentRefusal[];

struct ConsentStatus {
  bool granted = false;
  std::optional<absl::Time> expires_at;  // set when granted
  // Why not granted: "never granted", "expired at ...", "revoked", or what
  // is wrong with the file.
  std::string detail;
};

class ConsentStore {
 public:
  ConsentStore(const AgentState& state, const Clock& clock)
      : state_(state), clock_(clock) {}

  std::string Path() const { return state_.dir() + "/diagnostics-consent"; }

  // InvalidArgument unless 0 < duration <= kMaxConsent.
  absl::Status Grant(absl::Duration duration) const;
  // Removes the file; revoking what was never granted is fine.
  absl::Status Revoke() const;
  // A damaged file, or one claiming more than kMaxConsent from now, counts
  // as no consent (and says why).
  ConsentStatus Check() const;

 private:
  const AgentState& state_;
  const Clock& clock_;
};

// OK when a diagnostic of `privacy` may run on the device `state` describes:
// basic always; detailed on a corporate device, or on a personal one (or one
// whose ownership cannot be read) with consent in force. Otherwise
// PermissionDenied with kConsentRefusal and the consent detail.
absl::Status CheckConsent(PrivacyClass privacy, const AgentState& state,
                          const Clock& clock);

}  // namespace trellis::agent::diagnostics

#endif  // TRELLIS_AGENT_DIAGNOSTICS_CONSENT_H_
