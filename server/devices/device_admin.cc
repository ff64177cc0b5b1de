#include "server/devices/device_admin.h"

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/identity/device_id.h"
#include "common/policy/evaluator.h"
#include "common/rpc/admin_limits.h"
#include "common/util/json.h"
#include "common/util/proto_time.h"
#include "server/audit/audit_log.h"
#include "server/auth/authenticator.h"
#include "server/compliance/compliance_transition.h"
#include "server/compliance/exception_admin.h"
#include "server/store/reply_after_commit.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

absl::Status CheckDeviceId(const std::string& device_id) {
  if (!identity::IsValidDeviceId(device_id)) {
    return absl::InvalidArgumentError(
        "device_id must be a 27-character device id as device list shows");
  }
  return absl::OkStatus();
}

// The filter fields of a list request, each named when out of range.
absl::Status CheckListFilter(const v1::ListDevicesRequest& request) {
  if (!request.group().empty()) {
    absl::Status s = CheckName("group", request.group());
    if (!s.ok()) return s;
  }
  if (!v1::DeviceState_IsValid(request.state())) {
    return absl::InvalidArgumentError(
        absl::StrCat("state ", request.state(), " is not a device state"));
  }
  if (!v1::ComplianceState_IsValid(request.compliance_state())) {
    return absl::InvalidArgumentError(
        absl::StrCat("compliance_state ", request.compliance_state(),
                     " is not a compliance state"));
  }
  return CheckText("search", request.search(), 256);
}

bool HasFilter(const v1::ListDevicesRequest& request) {
  return !request.group().empty() ||
         request.state() != v1::DEVICE_STATE_UNSPECIFIED ||
         request.compliance_state() != v1::COMPLIANCE_STATE_UNSPECIFIED ||
         !request.search().empty();
}

bool ContainsIgnoreCase(const std::string& haystack,
                        const std::string& lower_needle) {
  return absl::StrContains(absl::AsciiStrToLower(haystack), lower_needle);
}

// `lower_search` is request.search() in lower case.
bool Matches(const DeviceRecord& d, const v1::ListDevicesRequest& request,
             const std::string& lower_search) {
  if (!request.group().empty() && d.group != request.group()) return false;
  if (request.state() != v1::DEVICE_STATE_UNSPECIFIED &&
      d.state != request.state()) {
    return false;
  }
  if (request.compliance_state() != v1::COMPLIANCE_STATE_UNSPECIFIED &&
      d.compliance_state != request.compliance_state()) {
    return false;
  }
  return lower_search.empty() || ContainsIgnoreCase(d.hostname, lower_search) ||
         ContainsIgnoreCase(d.hardware_serial, lower_search) ||
         absl::StartsWith(d.device_id, request.search());
}

}  // namespace

v1::DeviceSummary DeviceAdmin::ToSummary(const DeviceRecord& d) {
  v1::DeviceSummary s;
  s.set_device_id(d.device_id);
  s.set_hostname(d.hostname);
  s.set_hardware_serial(d.hardware_serial);
  s.set_platform(d.platform);
  s.set_os_name(d.os_name);
  s.set_os_version(d.os_version);
  s.set_group(d.group);
  s.set_ownership(d.ownership);
  s.set_state(d.state);
  *s.mutable_enrolled_at() = ToProtoTime(d.enrolled_at);
  if (d.last_seen_at) *s.mutable_last_seen_at() = ToProtoTime(*d.last_seen_at);
  s.set_flagged_possible_clone(!d.clone_of_device_id.empty());
  s.set_clone_of_device_id(d.clone_of_device_id);
  *s.mutable_certificate_expires_at() = ToProtoTime(d.cert_expires_at);
  s.set_agent_version(d.agent_version);
  s.set_compliance_state(d.compliance_state);
  if (d.grace_deadline)
    *s.mutable_grace_deadline() = ToProtoTime(*d.grace_deadline);
  s.set_wireguard_public_key(d.wireguard_public_key);
  s.set_vpn_access(v1::VPN_ACCESS_NONE);
  return s;
}

absl::Status DeviceAdmin::FillVpn(StoreReader& r, v1::DeviceSummary* s) {
  auto address = r.GetVpnAddress(s->device_id());
  if (!address.ok()) return address.status();
  if (*address) {
    s->set_tunnel_address(TunnelAddressPool::HostRoute(**address));
  }
  auto peer = r.GetVpnPeer(s->device_id());
  if (!peer.ok()) return peer.status();
  s->set_vpn_access(*peer ? (*peer)->access : v1::VPN_ACCESS_NONE);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListDevicesResponse> DeviceAdmin::List(
    const v1::ListDevicesRequest& request) {
  int page_size = request.page_size() == 0 ? 100 : request.page_size();
  if (page_size < 0 || page_size > rpc::kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be 0..", rpc::kMaxPageSize));
  }
  if (!request.page_token().empty()) {
    absl::Status s = CheckDeviceId(request.page_token());
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          "page_token is not one this server returned");
    }
  }
  absl::Status filter = CheckListFilter(request);
  if (!filter.ok()) return filter;
  // Unfiltered, one extra row tells whether another page follows; filtered,
  // the store is read in larger batches until a page (and one more match)
  // is found or the devices run out.
  const int batch =
      HasFilter(request) ? std::max(page_size + 1, 500) : page_size + 1;
  const std::string lower_search = absl::AsciiStrToLower(request.search());
  v1::ListDevicesResponse response;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    std::vector<DeviceRecord> matched;
    std::string cursor = request.page_token();
    while (static_cast<int>(matched.size()) <= page_size) {
      auto devices = r.ListDevices(cursor, batch);
      if (!devices.ok()) return devices.status();
      for (const DeviceRecord& d : *devices) {
        if (!Matches(d, request, lower_search)) continue;
        matched.push_back(d);
        if (static_cast<int>(matched.size()) > page_size) break;
      }
      if (static_cast<int>(devices->size()) < batch) break;
      cursor = devices->back().device_id;
    }
    for (int i = 0; i < static_cast<int>(matched.size()) && i < page_size;
         ++i) {
      v1::DeviceSummary* summary = response.add_devices();
      *summary = ToSummary(matched[i]);
      absl::Status vpn = FillVpn(r, summary);
      if (!vpn.ok()) return vpn;
    }
    if (static_cast<int>(matched.size()) > page_size) {
      response.set_next_page_token(matched[page_size - 1].device_id);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::GetDeviceResponse> DeviceAdmin::Get(
    const v1::GetDeviceRequest& request) {
  absl::Status valid = CheckDeviceId(request.device_id());
  if (!valid.ok()) return valid;
  v1::GetDeviceResponse response;
  const absl::Time now = clock_->Now();
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto device = r.GetDevice(request.device_id());
    if (!device.ok()) return device.status();
    if (!device->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("no device with id ", request.device_id()));
    }
    *response.mutable_device() = ToSummary(**device);
    absl::Status vpn = FillVpn(r, response.mutable_device());
    if (!vpn.ok()) return vpn;
    response.set_last_checkin_sequence((*device)->last_sequence);
    response.set_revocation_reason((*device)->revocation_reason);
    if ((*device)->compliant) response.set_compliant(*(*device)->compliant);
    response.set_evaluated_bundle_version((*device)->evaluated_bundle_version);
    auto states = r.GetCheckStates(request.device_id());
    if (!states.ok()) return states.status();
    auto published = policies_->current();
    for (const CheckStateRecord& c : *states) {
      v1::CheckResult* out = response.add_checks();
      out->set_policy_id(c.policy_id);
      out->set_check_id(c.check_id);
      out->set_state(static_cast<v1::CheckState>(c.state));
      out->set_detail(c.detail);
      out->set_error(c.error);
      *out->mutable_since() = ToProtoTime(c.since);
      // Titles and remediation come from the bundle the states were made
      // with, when it is still the current one.
      if (!published) continue;
      for (const v1::Policy& p : published->bundle.policies()) {
        if (p.id() != c.policy_id) continue;
        out->set_enforcement(p.enforcement());
        for (const v1::Check& check : p.checks()) {
          if (check.id() != c.check_id) continue;
          out->set_title(check.title());
          out->set_severity(check.severity());
          out->set_grace_period_seconds(check.grace_period_seconds());
          out->set_remediation(
              policy::RemediationFor(check.remediation(), (*device)->platform));
        }
      }
    }
    // Failing checks an exception covers are shown as such.
    auto exceptions = r.ListExceptions(request.device_id(), now);
    if (!exceptions.ok()) return exceptions.status();
    v1::Verdict marked;
    marked.mutable_results()->Swap(response.mutable_checks());
    ApplyExceptions(*exceptions, now, &marked);
    response.mutable_checks()->Swap(marked.mutable_results());
    auto report = r.GetLastReport(request.device_id());
    if (!report.ok()) return report.status();
    if (report->has_value() &&
        !response.mutable_last_report()->ParseFromString(**report)) {
      return absl::DataLossError("stored report cannot be read");
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

void DeviceAdmin::Revoke(
    const std::string& actor, const v1::RevokeDeviceRequest& request,
    std::function<void(absl::StatusOr<v1::RevokeDeviceResponse>)> done) {
  auto response = std::make_shared<v1::RevokeDeviceResponse>();
  End(actor, request.device_id(), request.reason(), v1::DEVICE_STATE_REVOKED,
      response->mutable_device(), ReplyAfterCommit(response, std::move(done)));
}

void DeviceAdmin::Retire(
    const std::string& actor, const v1::RetireDeviceRequest& request,
    std::function<void(absl::StatusOr<v1::RetireDeviceResponse>)> done) {
  auto response = std::make_shared<v1::RetireDeviceResponse>();
  End(actor, request.device_id(), request.reason(), v1::DEVICE_STATE_RETIRED,
      response->mutable_device(), ReplyAfterCommit(response, std::move(done)));
}

void DeviceAdmin::End(const std::string& actor, const std::string& device_id,
                      const std::string& reason, v1::DeviceState to,
                      v1::DeviceSummary* summary, Store::DoneFn done) {
  absl::Status valid = CheckDeviceId(device_id);
  if (valid.ok()) valid = CheckText("reason", reason, 256, /*required=*/true);
  if (!valid.ok()) {
    done(valid);
    return;
  }
  const absl::Time now = clock_->Now();
  const bool retire = to == v1::DEVICE_STATE_RETIRED;
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto device = w.GetDevice(device_id);
        if (!device.ok()) return device.status();
        if (!device->has_value()) {
          return absl::NotFoundError(
              absl::StrCat("no device with id ", device_id));
        }
        DeviceRecord d = **device;
        // A revoked device can still be retired (its address reclaimed);
        // nothing leaves the retired state.
        if (d.state == to || d.state == v1::DEVICE_STATE_RETIRED ||
            (!retire && d.state != v1::DEVICE_STATE_ACTIVE)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "device ", device_id, " is already ", DeviceStateName(d.state)));
        }
        d.state = to;
        if (!retire) d.revocation_reason = reason;
        absl::Status s =
            MoveCompliance(w, d,
                           retire ? v1::COMPLIANCE_STATE_RETIRED
                                  : v1::COMPLIANCE_STATE_REVOKED,
                           std::nullopt,
                           absl::StrCat(retire ? "retired by " : "revoked by ",
                                        actor, ": ", reason),
                           now);
        if (!s.ok()) return s;
        s = SaveDeviceAndPeer(w, d, peers_, now).status();
        if (!s.ok()) return s;
        AuditRecord a;
        a.time = now;
        a.actor = actor;
        a.action = retire ? "device.retire" : "device.revoke";
        a.target = device_id;
        a.details_json = JsonObject()
                             .Add("reason", reason)
                             .Add("hostname", d.hostname)
                             .Build();
        s = AppendAudit(w, a).status();
        if (!s.ok()) return s;
        *summary = ToSummary(d);
        return FillVpn(w, summary);
      },
      std::move(done));
}

absl::StatusOr<v1::GetDeviceHistoryResponse> DeviceAdmin::History(
    const v1::GetDeviceHistoryRequest& request) {
  absl::Status valid = CheckDeviceId(request.device_id());
  if (!valid.ok()) return valid;
  v1::GetDeviceHistoryResponse response;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto device = r.GetDevice(request.device_id());
    if (!device.ok()) return device.status();
    if (!device->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("no device with id ", request.device_id()));
    }
    auto transitions = r.ListTransitions(request.device_id());
    if (!transitions.ok()) return transitions.status();
    for (const TransitionRecord& t : *transitions) {
      v1::ComplianceTransition* out = response.add_transitions();
      *out->mutable_time() = ToProtoTime(t.at);
      out->set_from_state(t.from_state);
      out->set_to_state(t.to_state);
      out->set_cause(t.cause);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

}  // namespace trellis::server
