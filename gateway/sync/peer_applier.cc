#include "gateway/sync/peer_applier.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/util/logging.h"

namespace trellis::gateway {
namespace {

std::string AccessText(const DesiredPeer& peer) {
  if (!peer.quarantined()) return "full access";
  return absl::StrCat("quarantine (may reach ",
                      peer.permitted_destinations.empty()
                          ? std::string("nothing")
                          : absl::StrJoin(peer.permitted_destinations, ","),
                      ")");
}

// Changes WireGuard does not see: a peer moved between full access and
// quarantine, or its quarantine destinations changed.
void LogAccessChanges(uint64_t serial, const std::vector<PeerChange>& changes) {
  for (const PeerChange& change : changes) {
    if (!change.before || !change.after) continue;
    if (change.before->access == change.after->access &&
        change.before->permitted_destinations ==
            change.after->permitted_destinations) {
      continue;
    }
    LogInfo("serial ", serial, ": peer ", change.public_key, " (device ",
            LogSafe(change.device_id()), ") now has ",
            AccessText(*change.after));
  }
}

}  // namespace

PeerApplier::PeerApplier(WireGuardInterface* interface,
                         QuarantineFirewall* firewall, Clock* clock,
                         absl::Duration full_reconcile_interval)
    : interface_(interface),
      firewall_(firewall),
      clock_(clock),
      full_reconcile_interval_(full_reconcile_interval) {}

absl::Status PeerApplier::Apply(const v1::PeerUpdate& update) {
  absl::StatusOr<TableUpdate> result = table_.Apply(update);
  if (!result.ok()) {
    table_.ForgetFeed();
    return result.status();
  }
  for (const absl::Status& rejected : result->rejected) {
    LogError("serial ", update.serial(), ": skipping ", rejected.message());
  }
  absl::Status applied;
  switch (result->kind) {
    case TableUpdate::Kind::kSnapshot: {
      LogInfo("serial ", result->serial, ": snapshot of feed ",
              LogSafe(table_.feed_id()), " received: ", table_.peers().size(),
              " peers allowed, ", QuarantinedPeers(table_.peers()).size(),
              " of them quarantined");
      applied = ReconcileInterface(result->serial, result->changes);
      break;
    }
    case TableUpdate::Kind::kDelta: {
      std::vector<PlannedChange> plan = PlanChanges(result->changes);
      applied = ApplyPlan(result->serial, plan, result->changes);
      break;
    }
    case TableUpdate::Kind::kNothing:
      if (update.kind() == v1::PeerUpdate::KIND_HEARTBEAT &&
          table_.resumable() &&
          clock_->Now() - last_full_reconcile_ >= full_reconcile_interval_) {
        applied = ReconcileInterface(table_.serial(), {});
      }
      break;
  }
  if (!applied.ok()) {
    table_.ForgetFeed();
    return absl::Status(
        applied.code(),
        absl::StrCat("applying serial ", update.serial(),
                     " to the interface failed: ", applied.message()));
  }
  return absl::OkStatus();
}

absl::Status PeerApplier::ReconcileInterface(
    uint64_t serial, const std::vector<PeerChange>& changes) {
  absl::StatusOr<std::vector<wireguard::WgPeerState>> actual =
      interface_->ListPeers();
  if (!actual.ok()) return actual.status();
  std::vector<PlannedChange> plan = ReconcileAll(table_.peers(), *actual);
  // Name the devices the snapshot just took away; anything still unnamed
  // was never allowed by the server.
  std::map<std::string, std::string> dropped;
  for (const PeerChange& change : changes) {
    if (change.before && !change.after) {
      dropped[change.public_key] = change.before->device_id;
    }
  }
  for (PlannedChange& planned : plan) {
    auto it = dropped.find(planned.op.public_key);
    if (planned.device_id.empty() && it != dropped.end()) {
      planned.device_id = it->second;
    }
  }
  absl::Status applied = ApplyPlan(serial, plan, changes);
  if (applied.ok()) last_full_reconcile_ = clock_->Now();
  return applied;
}

absl::Status PeerApplier::ApplyPlan(uint64_t serial,
                                    const std::vector<PlannedChange>& plan,
                                    const std::vector<PeerChange>& changes) {
  std::vector<PeerOp> removals = RemovalOps(plan);
  if (!removals.empty()) {
    absl::Status removed = interface_->Apply(removals);
    if (!removed.ok()) return removed;
    for (const PlannedChange& change : plan) {
      if (change.verb == PlannedChange::Verb::kRemove) {
        LogInfo("serial ", serial, ": ", DescribeChange(change));
      }
    }
  }
  EnforceQuarantine(serial);
  std::vector<PeerOp> sets = SetOps(plan);
  if (!sets.empty()) {
    absl::Status set = interface_->Apply(sets);
    if (!set.ok()) return set;
    for (const PlannedChange& change : plan) {
      if (change.verb != PlannedChange::Verb::kRemove) {
        LogInfo("serial ", serial, ": ", DescribeChange(change));
      }
    }
  }
  LogAccessChanges(serial, changes);
  return absl::OkStatus();
}

void PeerApplier::EnforceQuarantine(uint64_t serial) {
  if (firewall_ == nullptr) return;
  QuarantineSet quarantined = QuarantinedPeers(table_.peers());
  if (!firewall_->NeedsUpdate(quarantined)) return;
  absl::Status enforced = firewall_->Enforce(quarantined);
  if (!enforced.ok()) {
    // WireGuard peers still follow the server; only the quarantine
    // restriction is missing, which the operator must see.
    LogError("serial ", serial,
             ": quarantine firewall not applied: ", enforced.message());
    return;
  }
  if (quarantined.empty()) {
    LogInfo("serial ", serial,
            ": no quarantined peers, firewall table cleared");
  } else {
    LogInfo("serial ", serial, ": quarantine firewall loaded for ",
            quarantined.size(), " quarantined peer(s)");
  }
}

}  // namespace trellis::gateway
