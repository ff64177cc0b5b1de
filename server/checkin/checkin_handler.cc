#include "server/checkin/checkin_handler.h"

#include <map>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/crypto/wireguard_key.h"
#include "common/util/proto_time.h"
#include "server/checkin/report_filter.h"
#include "server/checkin/report_validation.h"
#include "server/checkin/reported_device_fields.h"
#include "server/compliance/compliance_decision.h"
#include "server/compliance/compliance_transition.h"
#include "server/compliance/exception_admin.h"
#include "server/store/reply_after_commit.h"

namespace trellis::server {

std::vector<CheckStateRecord> NextCheckStates(
    const std::string& device_id, const v1::Verdict& verdict,
    const std::vector<CheckStateRecord>& previous, absl::Time now,
    bool* changed) {
  std::map<std::pair<std::string, std::string>, const CheckStateRecord*> prev;
  for (const auto& p : previous) prev[{p.policy_id, p.check_id}] = &p;
  std::vector<CheckStateRecord> next;
  *changed = previous.size() != static_cast<size_t>(verdict.results_size());
  for (const v1::CheckResult& r : verdict.results()) {
    CheckStateRecord c;
    c.device_id = device_id;
    c.policy_id = r.policy_id();
    c.check_id = r.check_id();
    c.state = r.state();
    c.detail = r.detail();
    c.error = r.error();
    auto it = prev.find({c.policy_id, c.check_id});
    if (it != prev.end() && it->second->state == c.state) {
      c.since = it->second->since;
      if (it->second->detail != c.detail || it->second->error != c.error) {
        *changed = true;
      }
    } else {
      c.since = now;
      *changed = true;
    }
    next.push_back(std::move(c));
  }
  return next;
}

absl::Status CheckSequenceStep(uint64_t sequence, uint64_t last_accepted) {
  // Written as a difference so that it cannot overflow near 2^64.
  if (sequence > last_accepted && sequence - last_accepted > kMaxSequenceStep) {
    return absl::InvalidArgumentError(
        absl::StrCat("sequence ", sequence, " is more than ", kMaxSequenceStep,
                     " ahead of the last accepted sequence ", last_accepted,
                     "; sequence numbers count up by one per report"));
  }
  return absl::OkStatus();
}

void CheckInHandler::CheckIn(const AuthenticatedDevice& caller,
                             const v1::CheckInRequest& request, Done done) {
  if (request.sequence() == 0) {
    done(absl::InvalidArgumentError("sequence must start at 1"));
    return;
  }
  absl::Status valid =
      CheckSequenceStep(request.sequence(), caller.device.last_sequence);
  if (valid.ok()) valid = ValidateReport(request.report());
  if (valid.ok() && !request.wireguard_public_key().empty()) {
    valid = crypto::ValidateWireGuardPublicKey(request.wireguard_public_key());
    if (!valid.ok()) {
      valid = absl::InvalidArgumentError(
          absl::StrCat("wireguard_public_key: ", valid.message()));
    }
  }
  if (!valid.ok()) {
    done(valid);
    return;
  }
  auto filtered = FilterReport(request.report(), caller.device.ownership);
  if (!filtered.ok()) {
    done(filtered.status());
    return;
  }
  auto device_fields = DeviceFieldsFromReport(filtered->report);
  if (!device_fields.ok()) {
    done(device_fields.status());
    return;
  }
  auto response = std::make_shared<v1::CheckInResponse>();
  const absl::Time now = config_->clock->Now();
  *response->mutable_server_time() = ToProtoTime(now);
  response->set_next_checkin_seconds(config_->checkin_interval_seconds);
  response->set_device_state(v1::DEVICE_STATE_ACTIVE);
  response->set_policy_bundle_version(policies_->current_version());
  for (const std::string& t : filtered->dropped_tables) {
    response->add_dropped_tables(t);
  }

  // A retry of a stored report needs no trip through the writer at all.
  if (request.sequence() <= caller.device.last_sequence &&
      !caller.used_pending_key) {
    response->set_accepted_sequence(caller.device.last_sequence);
    response->set_duplicate(true);
    done(*response);
    return;
  }

  const v1::PostureReport& report = filtered->report;
  auto verdict = policies_->Evaluate(
      {report.platform(), caller.device.ownership, caller.device.group},
      report);
  if (!verdict.ok()) {
    done(verdict.status());
    return;
  }
  std::optional<v1::Verdict> server_verdict = *std::move(verdict);
  std::string facts_hash = FactsHash(report);
  auto report_bytes = std::make_shared<std::string>();
  report.SerializeToString(report_bytes.get());
  std::string device_id = caller.device.device_id;
  bool promote = caller.used_pending_key;
  uint64_t sequence = request.sequence();
  std::string wireguard_key = request.wireguard_public_key();
  std::string os_name = device_fields->os_name;
  std::string os_version = device_fields->os_version;

  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto current = RequireActiveDevice(w, device_id);
        if (!current.ok()) return current.status();
        DeviceRecord d = *std::move(current);
        bool changed_key = promote && !d.pending_key_hash.empty();
        if (promote) PromotePendingKey(d);
        if (sequence <= d.last_sequence) {
          // Raced with its own retry, which won.
          response->set_accepted_sequence(d.last_sequence);
          response->set_duplicate(true);
          return changed_key ? w.UpdateDevice(d) : absl::OkStatus();
        }
        d.last_sequence = sequence;
        d.last_seen_at = now;
        bool unchanged = d.facts_hash == facts_hash;
        response->set_facts_unchanged(unchanged);
        if (!unchanged) {
          d.facts_hash = facts_hash;
          if (!os_name.empty()) d.os_name = os_name;
          if (!os_version.empty()) d.os_version = os_version;
          absl::Status s =
              w.PutLastReport(device_id, sequence, now, *report_bytes);
          if (!s.ok()) return s;
        }
        response->set_accepted_sequence(sequence);
        if (server_verdict) {
          auto previous = w.GetCheckStates(device_id);
          if (!previous.ok()) return previous.status();
          bool states_changed = false;
          std::vector<CheckStateRecord> next = NextCheckStates(
              device_id, *server_verdict, *previous, now, &states_changed);
          if (states_changed) {
            absl::Status s = w.ReplaceCheckStates(device_id, next);
            if (!s.ok()) return s;
          }
          v1::Verdict* out = response->mutable_verdict();
          *out = *server_verdict;
          for (size_t i = 0; i < next.size(); ++i) {
            *out->mutable_results(static_cast<int>(i))->mutable_since() =
                ToProtoTime(next[i].since);
          }
          d.compliant = server_verdict->compliant();
          d.evaluated_bundle_version = server_verdict->bundle_version();
          auto decision = DecideAndMove(w, d, out, "", now);
          if (!decision.ok()) return decision.status();
          response->set_compliance_state(decision->state);
          if (decision->grace_deadline) {
            *response->mutable_grace_deadline() =
                ToProtoTime(*decision->grace_deadline);
          }
        }
        if (!wireguard_key.empty() && wireguard_key != d.wireguard_public_key) {
          auto owner = w.FindDeviceByWireGuardKey(wireguard_key);
          if (!owner.ok()) return owner.status();
          if (owner->has_value()) {
            return absl::InvalidArgumentError(
                "wireguard_public_key is already used by another device");
          }
          d.wireguard_public_key = wireguard_key;
        }
        auto vpn = SaveDeviceAndPeer(w, d, peers_, now);
        if (!vpn.ok()) return vpn.status();
        if (*vpn) *response->mutable_vpn() = **std::move(vpn);
        return absl::OkStatus();
      },
      ReplyAfterCommit(response, std::move(done)));
}

}  // namespace trellis::server
