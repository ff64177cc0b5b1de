#include "server/checkin/checkin_handler.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/util/proto_time.h"
#include "server/checkin/report_validation.h"
#include "server/store/reply_after_commit.h"

namespace trellis::server {
namespace {

// Pulls a text column from the first row of a fact table, if present.
std::string FirstRowText(const v1::PostureReport& report,
                         absl::string_view table, absl::string_view column) {
  for (const v1::FactTable& t : report.tables()) {
    if (t.name() != table || t.rows_size() == 0) continue;
    for (int c = 0; c < t.columns_size(); ++c) {
      if (t.columns(c) == column &&
          t.rows(0).values(c).value_case() == v1::FactValue::kTextValue) {
        return t.rows(0).values(c).text_value();
      }
    }
  }
  return "";
}

}  // namespace

void CheckInHandler::CheckIn(const AuthenticatedDevice& caller,
                             const v1::CheckInRequest& request, Done done) {
  if (request.sequence() == 0) {
    done(absl::InvalidArgumentError("sequence must start at 1"));
    return;
  }
  absl::Status valid = ValidateReport(request.report());
  if (!valid.ok()) {
    done(valid);
    return;
  }
  auto response = std::make_shared<v1::CheckInResponse>();
  const absl::Time now = config_->clock->Now();
  *response->mutable_server_time() = ToProtoTime(now);
  response->set_next_checkin_seconds(config_->checkin_interval_seconds);
  response->set_device_state(v1::DEVICE_STATE_ACTIVE);

  // A retry of a stored report needs no trip through the writer at all.
  if (request.sequence() <= caller.device.last_sequence &&
      !caller.used_pending_key) {
    response->set_accepted_sequence(caller.device.last_sequence);
    response->set_duplicate(true);
    done(*response);
    return;
  }

  std::string facts_hash = FactsHash(request.report());
  auto report_bytes = std::make_shared<std::string>();
  request.report().SerializeToString(report_bytes.get());
  std::string device_id = caller.device.device_id;
  bool promote = caller.used_pending_key;
  uint64_t sequence = request.sequence();
  std::string os_name = FirstRowText(request.report(), "os_version", "name");
  std::string os_version =
      FirstRowText(request.report(), "os_version", "version");

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
        return w.UpdateDevice(d);
      },
      ReplyAfterCommit(response, std::move(done)));
}

}  // namespace trellis::server
