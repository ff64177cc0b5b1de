#include "agent/vpn/vpn_enforcer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/vpn/vpn_status_file.h"
#include "common/util/files.h"
#include "common/util/logging.h"

namespace trellis::agent {
namespace {

bool Grants(const v1::VpnAssignment& a) {
  return a.has_profile() && (a.access() == v1::VPN_ACCESS_FULL ||
                             a.access() == v1::VPN_ACCESS_QUARANTINE);
}

}  // namespace

void VpnEnforcer::OnAssignment(const v1::VpnAssignment& assignment) {
  assignment_ = assignment;
  if (!Grants(assignment) && assignment.access() != v1::VPN_ACCESS_NONE &&
      assignment.access() != v1::VPN_ACCESS_UNSPECIFIED) {
    // Unknown access values from a newer server: nothing to grant.
    assignment_->set_access(v1::VPN_ACCESS_NONE);
  }
  Evaluate(/*refresh_trust=*/true, /*skip_if_in_place=*/false);
}

void VpnEnforcer::OnCheckInFailed() {
  if (assignment_) return;
  auto bytes = ReadFile(state_.LastCheckInPath());
  v1::CheckInResponse last;
  if (!bytes.ok() || !last.ParseFromString(*bytes) || !last.has_vpn()) return;
  LogInfo("vpn: server unreachable; applying the last VPN assignment");
  OnAssignment(last.vpn());
}

bool VpnEnforcer::WantsWatchdog() const {
  return assignment_.has_value() && Grants(*assignment_) && !plan_.refused;
}

void VpnEnforcer::Watchdog() {
  if (!WantsWatchdog()) return;
  Evaluate(/*refresh_trust=*/false, /*skip_if_in_place=*/true);
}

bool VpnEnforcer::InPlace(const TunnelPlan& next) {
  // Between check-ins the plan rarely changes. When it has not and the last
  // apply worked, one look at the link says whether anything needs redoing,
  // instead of re-reading the whole tunnel every few seconds.
  if (!applied_ || !error_.empty() || next != plan_) return false;
  TunnelObservation seen = controller_->Observe();
  return seen.known && seen.present == next.up && (!next.up || seen.up);
}

void VpnEnforcer::UpdateTrust(bool force) {
  const absl::Time now = clock_->Now();
  if (!force && trust_checked_at_ &&
      now - *trust_checked_at_ < options_.trusted_network_interval) {
    return;
  }
  if (!Grants(*assignment_)) {
    trust_ = TrustedNetworkResult{};
    trust_.detail = "not checked (no VPN access)";
    trust_checked_at_.reset();
    return;
  }
  TrustedNetworkOptions o;
  o.beacon_timeout = options_.beacon_timeout;
  if (plan_.up && applied_ && error_.empty()) {
    // Our own tunnel must not count as proof of a trusted network.
    o.probe_beacons = false;
    o.ignored_domains = plan_.dns_search_domains;
  }
  TrustedNetworkResult next = DetectTrustedNetwork(
      assignment_->profile().trusted_networks(), *system_, *prober_, o);
  if (next.trusted != trust_.trusted || !trust_checked_at_) {
    LogInfo(
        "vpn: ",
        next.trusted ? "on a trusted network: " : "not on a trusted network: ",
        next.detail);
  }
  trust_ = std::move(next);
  trust_checked_at_ = now;
}

void VpnEnforcer::Evaluate(bool refresh_trust, bool skip_if_in_place) {
  UpdateTrust(refresh_trust);
  TunnelPlan next = PlanTunnel(*assignment_, trust_);
  if (next.refused && next != plan_) {
    // Names the bad field; the tunnel stays down.
    LogError("vpn: ", next.reason);
  }
  if (skip_if_in_place && InPlace(next)) return;
  Apply(next);
}

void VpnEnforcer::Apply(const TunnelPlan& next) {
  const bool plan_changed = !applied_ || next != plan_;
  auto result = controller_->Apply(next);
  std::string error;
  std::string notes;
  if (!result.ok()) {
    error = std::string(result.status().message());
    if (error != error_ || plan_changed) {
      LogError("vpn: cannot bring the tunnel ", next.up ? "up" : "down", " (",
               next.reason, "): ", error);
    }
  } else {
    notes = absl::StrJoin(result->notes, "; ");
    if (plan_changed || result->changed || !error_.empty()) {
      LogInfo("vpn: tunnel ", next.up ? "up" : "down", " on ",
              controller_->Describe(), ": ", next.reason,
              result->changed ? "" : " (already in place)");
      for (const std::string& note : result->notes) LogWarning("vpn: ", note);
    }
  }
  if (reference_ != nullptr) {
    auto written = reference_->Apply(next);
    std::string problem =
        written.ok() ? "" : std::string(written.status().message());
    if (!problem.empty() && problem != reference_error_) {
      LogWarning("vpn: ", reference_->Describe(), ": ", problem);
    }
    reference_error_ = problem;
  }
  plan_ = next;
  applied_ = true;
  error_ = error;

  VpnStatusRecord record;
  record.tunnel = next.up ? "up" : "down";
  record.reason = next.reason;
  record.trusted_network = !trust_.evaluated ? "not configured"
                           : trust_.trusted  ? "yes"
                                             : "no";
  record.trusted_detail = trust_.detail;
  record.controller = controller_->Describe();
  record.error = error;
  record.notes = notes;
  // Rewritten only when something changed, not on every watchdog tick.
  std::string text = FormatVpnStatus(record);
  if (text == saved_status_) return;
  record.updated_at = clock_->Now();
  absl::Status saved = SaveVpnStatus(state_, record);
  if (saved.ok()) {
    saved_status_ = text;
  } else {
    LogWarning("vpn: ", saved.message());
  }
}

void VpnEnforcer::OnStop(bool lost_identity) {
  if (!applied_ || !plan_.up) return;
  if (!lost_identity && plan_.mode != v1::VPN_MODE_UNTRUSTED_ONLY) {
    LogInfo(
        "vpn: leaving the always-on tunnel up; the gateway enforces "
        "access while the agent is stopped");
    return;
  }
  TunnelPlan down = plan_;
  down.up = false;
  down.reason = lost_identity
                    ? "the agent stopped: this device is no longer enrolled"
                    : "the agent stopped (an untrusted-only tunnel needs the "
                      "agent to watch the network)";
  if (lost_identity) down.peer_public_key.clear();
  Apply(down);
}

}  // namespace trellis::agent
