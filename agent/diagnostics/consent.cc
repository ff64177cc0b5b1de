#include "agent/diagnostics/consent.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/util/args.h"
#include "common/util/files.h"

namespace trellis::agent::diagnostics {

const char kConsentRefusal[] =
    "the employee has not allowed detailed diagnostics on this personal "
    "device; they can run 'trellis-agent consent grant'";

namespace {

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

}  // namespace

absl::Status ConsentStore::Grant(absl::Duration duration) const {
  if (duration <= absl::ZeroDuration() || duration > kMaxConsent) {
    return absl::InvalidArgumentError(
        absl::StrCat("consent lasts more than 0s and at most ",
                     FormatHumanDuration(kMaxConsent), ", not ",
                     FormatHumanDuration(duration)));
  }
  const absl::Time now = clock_.Now();
  return state_.WriteStateFile(
      Path(),
      absl::StrCat("granted_at: ", absl::ToUnixSeconds(now),
                   "\nexpires_at: ", absl::ToUnixSeconds(now + duration), "\n"),
      0644);
}

absl::Status ConsentStore::Revoke() const {
  if (std::remove(Path().c_str()) != 0 && errno != ENOENT) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot remove ", Path(), ": ", std::strerror(errno),
                     " (run as the user the agent runs as, usually root)"));
  }
  return absl::OkStatus();
}

ConsentStatus ConsentStore::Check() const {
  ConsentStatus status;
  auto text = ReadFile(Path());
  if (!text.ok()) {
    status.detail = FileExists(Path())
                        ? absl::StrCat("cannot read ", Path(), ": ",
                                       text.status().message())
                        : "consent was never granted or was revoked";
    return status;
  }
  int64_t granted = -1, expires = -1;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (absl::ConsumePrefix(&line, "granted_at: ")) {
      if (!absl::SimpleAtoi(line, &granted)) granted = -1;
    } else if (absl::ConsumePrefix(&line, "expires_at: ")) {
      if (!absl::SimpleAtoi(line, &expires)) expires = -1;
    }
  }
  if (granted < 0 || expires < 0) {
    status.detail = absl::StrCat(Path(), " is damaged; grant consent again");
    return status;
  }
  const absl::Time now = clock_.Now();
  const absl::Time until = absl::FromUnixSeconds(expires);
  // A hand-made file cannot stretch consent past what `grant` allows.
  if (until - absl::FromUnixSeconds(granted) > kMaxConsent ||
      until > now + kMaxConsent) {
    status.detail =
        absl::StrCat(Path(), " claims consent for longer than ",
                     FormatHumanDuration(kMaxConsent), "; grant consent again");
    return status;
  }
  if (until <= now) {
    status.detail = absl::StrCat("consent expired at ", When(until));
    return status;
  }
  status.granted = true;
  status.expires_at = until;
  return status;
}

absl::Status CheckConsent(PrivacyClass privacy, const AgentState& state,
                          const Clock& clock) {
  if (privacy == PrivacyClass::kBasic) return absl::OkStatus();
  auto record = state.LoadRecord();
  // Ownership unknown (not enrolled, unreadable record): treated as
  // personal, the side that asks first.
  if (record.ok() && record->ownership == "corporate") return absl::OkStatus();
  ConsentStatus consent = ConsentStore(state, clock).Check();
  if (consent.granted) return absl::OkStatus();
  std::string detail = consent.detail;
  if (!record.ok()) {
    detail = absl::StrCat("ownership unknown, treated as personal: ",
                          record.status().message(), "; ", detail);
  }
  return absl::PermissionDeniedError(
      absl::StrCat(kConsentRefusal, " (", detail, ")"));
}

}  // namespace trellis::agent::diagnostics
