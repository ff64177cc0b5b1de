#include "gateway/peers/reconciler.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace trellis::gateway {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> ips) {
  std::sort(ips.begin(), ips.end());
  ips.erase(std::unique(ips.begin(), ips.end()), ips.end());
  return ips;
}

// Removals before everything else, so an address that moves from one peer
// to another is never held by two peers in the plan's log, and a revoked
// peer is gone before anything new is added.
void RemovalsFirst(std::vector<PlannedChange>* plan) {
  std::stable_partition(plan->begin(), plan->end(), [](const PlannedChange& c) {
    return c.verb == PlannedChange::Verb::kRemove;
  });
}

}  // namespace

std::vector<PlannedChange> ReconcileAll(
    const PeerSet& desired, const std::vector<wireguard::WgPeerState>& actual) {
  std::map<std::string, std::vector<std::string>> current;
  for (const wireguard::WgPeerState& peer : actual) {
    current[peer.public_key] = Sorted(peer.allowed_ips);
  }
  std::vector<PlannedChange> plan;
  for (const auto& [key, ips] : current) {
    if (desired.count(key) == 0) {
      plan.push_back(
          {PlannedChange::Verb::kRemove, PeerOp::Remove(key), std::string()});
    }
  }
  for (const auto& [key, peer] : desired) {
    auto it = current.find(key);
    if (it == current.end()) {
      plan.push_back({PlannedChange::Verb::kAdd,
                      PeerOp::Set(key, peer.allowed_ips), peer.device_id});
    } else if (it->second != peer.allowed_ips) {
      plan.push_back({PlannedChange::Verb::kUpdate,
                      PeerOp::Set(key, peer.allowed_ips), peer.device_id});
    }
  }
  return plan;
}

std::vector<PlannedChange> PlanChanges(const std::vector<PeerChange>& changes) {
  std::vector<PlannedChange> plan;
  for (const PeerChange& change : changes) {
    if (!change.after) {
      plan.push_back({PlannedChange::Verb::kRemove,
                      PeerOp::Remove(change.public_key), change.device_id()});
    } else if (!change.before) {
      plan.push_back({PlannedChange::Verb::kAdd,
                      PeerOp::Set(change.public_key, change.after->allowed_ips),
                      change.device_id()});
    } else if (change.before->allowed_ips != change.after->allowed_ips) {
      plan.push_back({PlannedChange::Verb::kUpdate,
                      PeerOp::Set(change.public_key, change.after->allowed_ips),
                      change.device_id()});
    }
  }
  RemovalsFirst(&plan);
  return plan;
}

std::string DescribeChange(const PlannedChange& change) {
  std::string who = change.device_id.empty()
                        ? std::string("not allowed by the server")
                        : absl::StrCat("device ", LogSafe(change.device_id));
  const std::string& key = change.op.public_key;
  std::string ips = change.op.allowed_ips.empty()
                        ? std::string("(none)")
                        : absl::StrJoin(change.op.allowed_ips, ",");
  switch (change.verb) {
    case PlannedChange::Verb::kRemove:
      return absl::StrCat("removed peer ", key, " (", who, ")");
    case PlannedChange::Verb::kAdd:
      return absl::StrCat("added peer ", key, " (", who, "): allowed-ips ",
                          ips);
    case PlannedChange::Verb::kUpdate:
      return absl::StrCat("updated peer ", key, " (", who, "): allowed-ips ",
                          ips);
  }
  return "";
}

std::vector<PeerOp> RemovalOps(const std::vector<PlannedChange>& plan) {
  std::vector<PeerOp> ops;
  for (const PlannedChange& c : plan) {
    if (c.verb == PlannedChange::Verb::kRemove) ops.push_back(c.op);
  }
  return ops;
}

std::vector<PeerOp> SetOps(const std::vector<PlannedChange>& plan) {
  std::vector<PeerOp> ops;
  for (const PlannedChange& c : plan) {
    if (c.verb != PlannedChange::Verb::kRemove) ops.push_back(c.op);
  }
  return ops;
}

}  // namespace trellis::gateway
