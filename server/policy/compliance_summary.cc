#include "server/policy/compliance_summary.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/policy/policy_loader.h"

namespace trellis::server {
namespace {

void Count(std::map<std::string, v1::PassRate>& rates, const std::string& key,
           int state) {
  v1::PassRate& r = rates[key];
  r.set_key(key);
  switch (state) {
    case v1::CHECK_STATE_PASS:
      r.set_passing(r.passing() + 1);
      break;
    case v1::CHECK_STATE_FAIL:
      r.set_failing(r.failing() + 1);
      break;
    case v1::CHECK_STATE_ERROR:
      r.set_erroring(r.erroring() + 1);
      break;
    default:
      r.set_not_applicable(r.not_applicable() + 1);
  }
}

template <typename Repeated>
void Emit(const std::map<std::string, v1::PassRate>& rates, Repeated* out) {
  for (const auto& [key, rate] : rates) *out->Add() = rate;
}

}  // namespace

absl::StatusOr<v1::GetComplianceSummaryResponse> ComputeComplianceSummary(
    Store& store, uint64_t bundle_version) {
  v1::GetComplianceSummaryResponse out;
  out.set_bundle_version(bundle_version);
  std::map<std::string, v1::PassRate> by_policy, by_check, by_platform,
      by_group;
  absl::Status s = store.Read([&](StoreReader& r) -> absl::Status {
    // Device-level compliance by platform and group.
    std::string cursor;
    while (true) {
      auto page = r.ListDevices(cursor, 1000);
      if (!page.ok()) return page.status();
      for (const DeviceRecord& d : *page) {
        if (d.state != v1::DEVICE_STATE_ACTIVE || !d.compliant) continue;
        out.set_devices(out.devices() + 1);
        if (*d.compliant) out.set_compliant_devices(out.compliant_devices() + 1);
        int state = *d.compliant ? v1::CHECK_STATE_PASS : v1::CHECK_STATE_FAIL;
        Count(by_platform, policy::PlatformName(d.platform), state);
        Count(by_group, d.group, state);
      }
      if (page->size() < 1000) break;
      cursor = page->back().device_id;
    }
    // Policy-level: a device passes a policy when none of its applicable
    // checks fails or errors.
    auto states = r.ListActiveCheckStates();
    if (!states.ok()) return states.status();
    std::map<std::pair<std::string, std::string>, int> device_policy;
    for (const CheckStateRecord& c : *states) {
      Count(by_check, absl::StrCat(c.policy_id, "/", c.check_id), c.state);
      int& worst = device_policy[{c.device_id, c.policy_id}];
      // Order of badness: n/a(0) < pass < error < fail.
      auto rank = [](int st) {
        return st == v1::CHECK_STATE_FAIL    ? 3
               : st == v1::CHECK_STATE_ERROR ? 2
               : st == v1::CHECK_STATE_PASS  ? 1
                                             : 0;
      };
      if (rank(c.state) > rank(worst)) worst = c.state;
    }
    for (const auto& [key, state] : device_policy) {
      Count(by_policy, key.second, state);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  Emit(by_policy, out.mutable_by_policy());
  Emit(by_check, out.mutable_by_check());
  Emit(by_platform, out.mutable_by_platform());
  Emit(by_group, out.mutable_by_group());
  return out;
}

}  // namespace trellis::server
