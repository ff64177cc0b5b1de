#include "server/compliance/compliance_redecider.h"

#include "common/util/proto_time.h"
#include "server/compliance/compliance_transition.h"

namespace trellis::server {
namespace {

// The stored check states as a verdict, with each check's enforcement and
// grace period from the current bundle. Checks the bundle no longer has are
// left out, as the next evaluation would.
v1::Verdict StoredVerdict(const std::vector<CheckStateRecord>& states,
                          const v1::PolicyBundle& bundle) {
  v1::Verdict verdict;
  verdict.set_bundle_version(bundle.version());
  for (const CheckStateRecord& c : states) {
    for (const v1::Policy& p : bundle.policies()) {
      if (p.id() != c.policy_id) continue;
      for (const v1::Check& check : p.checks()) {
        if (check.id() != c.check_id) continue;
        v1::CheckResult* r = verdict.add_results();
        r->set_policy_id(c.policy_id);
        r->set_check_id(c.check_id);
        r->set_state(static_cast<v1::CheckState>(c.state));
        r->set_enforcement(p.enforcement());
        r->set_grace_period_seconds(check.grace_period_seconds());
        *r->mutable_since() = ToProtoTime(c.since);
      }
    }
  }
  return verdict;
}

}  // namespace

absl::StatusOr<bool> ComplianceRedecider::Redecide(StoreWriter& w,
                                                   const std::string& device_id,
                                                   const std::string& why,
                                                   absl::Time now) const {
  std::shared_ptr<const v1::PolicyBundle> bundle = bundle_();
  if (bundle == nullptr) return false;
  auto device = w.GetDevice(device_id);
  if (!device.ok()) return device.status();
  if (!device->has_value()) return false;
  DeviceRecord d = **device;
  if (d.state != v1::DEVICE_STATE_ACTIVE ||
      d.compliance_state == v1::COMPLIANCE_STATE_UNSPECIFIED ||
      d.compliance_state == v1::COMPLIANCE_STATE_STALE) {
    // Stale stays stale until the device reports again.
    return false;
  }
  auto states = w.GetCheckStates(device_id);
  if (!states.ok()) return states.status();
  const v1::ComplianceState before = d.compliance_state;
  v1::Verdict verdict = StoredVerdict(*states, *bundle);
  auto decision = DecideAndMove(w, d, &verdict, why, now);
  if (!decision.ok()) return decision.status();
  absl::Status s = SaveDeviceAndPeer(w, d, peers_, now).status();
  if (!s.ok()) return s;
  return d.compliance_state != before;
}

}  // namespace trellis::server
