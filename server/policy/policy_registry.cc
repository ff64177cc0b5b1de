#include "server/policy/policy_registry.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/policy/bundle_cost.h"
#include "common/policy/bundle_signing.h"
#include "common/policy/publication_validation.h"
#include "common/util/json.h"
#include "common/util/logging.h"
#include "common/util/proto_time.h"
#include "server/audit/audit_log.h"
#include "server/policy/policy_plan.h"

namespace trellis::server {
namespace {
// Idle evaluators kept per version; more callers compile their own.
constexpr size_t kMaxIdleEvaluators = 16;
// Devices a bundle is measured on before publishing: the most recently
// seen, so the cost of a publish stays bounded (20 x the budget at worst,
// milliseconds for an ordinary bundle).
constexpr int kCostSampleDevices = 20;
}  // namespace

absl::Status PolicyRegistry::Load() {
  std::optional<PolicyBundleRecord> latest;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto b = r.GetLatestPolicyBundle();
    if (!b.ok()) return b.status();
    latest = *std::move(b);
    return absl::OkStatus();
  });
  if (!s.ok() || !latest) return s;
  auto published = std::make_shared<Published>();
  if (!published->signed_bundle.ParseFromString(latest->signed_bundle)) {
    return absl::DataLossError("stored policy bundle cannot be read");
  }
  auto bundle = policy::VerifyBundle(published->signed_bundle,
                                     pki_->policy_signing.public_key_pem);
  if (!bundle.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored policy bundle ", latest->version,
                     " does not verify with this server's signing key: ",
                     bundle.status().message()));
  }
  published->bundle = *std::move(bundle);
  Install(std::move(published));
  return absl::OkStatus();
}

std::shared_ptr<const PolicyRegistry::Published> PolicyRegistry::current()
    const {
  absl::MutexLock lock(&mu_);
  return current_;
}

uint64_t PolicyRegistry::current_version() const {
  absl::MutexLock lock(&mu_);
  return current_ ? current_->bundle.version() : 0;
}

void PolicyRegistry::Install(std::shared_ptr<const Published> published) {
  absl::MutexLock lock(&mu_);
  if (current_ && published->bundle.version() <= current_->bundle.version()) {
    return;
  }
  current_ = std::move(published);
  idle_.clear();
}

std::unique_ptr<policy::Evaluator> PolicyRegistry::Acquire(
    const std::shared_ptr<const Published>& published, absl::Status* error) {
  {
    absl::MutexLock lock(&mu_);
    while (!idle_.empty()) {
      auto e = std::move(idle_.back());
      idle_.pop_back();
      if (e->bundle_version() == published->bundle.version()) return e;
    }
  }
  // Compiling prepares every query once; the result is reused per version.
  auto compiled =
      policy::Evaluator::Compile(published->bundle, sandbox_limits_);
  if (!compiled.ok()) {
    *error = compiled.status();
    return nullptr;
  }
  return *std::move(compiled);
}

void PolicyRegistry::Release(std::unique_ptr<policy::Evaluator> evaluator) {
  absl::MutexLock lock(&mu_);
  if (current_ && evaluator->bundle_version() == current_->bundle.version() &&
      idle_.size() < kMaxIdleEvaluators) {
    idle_.push_back(std::move(evaluator));
  }
}

absl::StatusOr<std::optional<v1::Verdict>> PolicyRegistry::Evaluate(
    const policy::DeviceContext& device, const v1::PostureReport& report) {
  std::shared_ptr<const Published> published = current();
  if (!published) return std::optional<v1::Verdict>();
  absl::Status error;
  std::unique_ptr<policy::Evaluator> evaluator = Acquire(published, &error);
  if (!evaluator) return error;
  v1::Verdict verdict = evaluator->Evaluate(device, report);
  Release(std::move(evaluator));
  return std::optional<v1::Verdict>(std::move(verdict));
}

absl::Status PolicyRegistry::CheckCostOnRecentDevices(
    policy::Evaluator& compiled) {
  std::vector<DeviceReportRecord> recent;
  absl::Status read = store_->Read([&](StoreReader& r) -> absl::Status {
    auto rows = r.ListRecentReports(kCostSampleDevices);
    if (!rows.ok()) return rows.status();
    recent = *std::move(rows);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  std::vector<policy::RecordedDevice> devices;
  for (const DeviceReportRecord& r : recent) {
    policy::RecordedDevice d;
    if (!d.report.ParseFromString(r.report)) continue;
    d.name = r.device.hostname.empty() ? r.device.device_id
                                       : absl::StrCat(r.device.hostname, " (",
                                                      r.device.device_id, ")");
    d.context = {d.report.platform(), r.device.ownership, r.device.group};
    devices.push_back(std::move(d));
  }
  policy::BundleCost cost = policy::EstimateBundleCost(compiled, devices);
  return policy::CheckBundleCost(cost, sandbox_limits_.evaluation_time);
}

void PolicyRegistry::Publish(
    const std::string& actor, const v1::PublishPoliciesRequest& request,
    std::function<void(absl::StatusOr<v1::PublishPoliciesResponse>)> done) {
  std::vector<v1::Policy> proposed(request.policies().begin(),
                                   request.policies().end());
  std::vector<v1::VpnProfile> proposed_profiles(request.vpn_profiles().begin(),
                                                request.vpn_profiles().end());
  // The same validation `trellisctl policy validate` runs offline.
  absl::StatusOr<v1::PolicyBundle> validated =
      policy::ValidatePublication(proposed, proposed_profiles);
  if (!validated.ok()) {
    done(validated.status());
    return;
  }
  v1::PolicyBundle draft = *std::move(validated);
  auto compiled = policy::Evaluator::Compile(draft, sandbox_limits_);
  if (!compiled.ok()) {
    done(compiled.status());
    return;
  }
  // Measured before anything is stored, so a dry run refuses it too.
  absl::Status affordable = CheckCostOnRecentDevices(**compiled);
  if (!affordable.ok()) {
    done(affordable);
    return;
  }
  const absl::Time now = clock_->Now();
  auto response = std::make_shared<v1::PublishPoliciesResponse>();
  auto published = std::make_shared<Published>();
  bool dry_run = request.dry_run();
  std::optional<uint64_t> expected_version;
  if (request.has_expected_version()) {
    expected_version = request.expected_version();
  }
  const ServerPki* pki = pki_;
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        // Read the latest inside the write, so two publishers cannot take
        // the same version.
        auto latest = w.GetLatestPolicyBundle();
        if (!latest.ok()) return latest.status();
        std::vector<v1::Policy> current;
        std::vector<v1::VpnProfile> current_profiles;
        uint64_t version = 0;
        if (latest->has_value()) {
          v1::SignedPolicyBundle old_signed;
          v1::PolicyBundle old;
          if (!old_signed.ParseFromString((*latest)->signed_bundle) ||
              !old.ParseFromString(old_signed.bundle())) {
            return absl::DataLossError("stored policy bundle cannot be read");
          }
          current.assign(old.policies().begin(), old.policies().end());
          current_profiles.assign(old.vpn_profiles().begin(),
                                  old.vpn_profiles().end());
          version = (*latest)->version;
        }
        if (expected_version.has_value() && *expected_version != version) {
          return absl::AbortedError(absl::StrCat(
              "the published bundle is version ", version, ", not version ",
              *expected_version,
              " as expected: another publish came in between; apply again "
              "to see the new plan"));
        }
        std::vector<v1::PolicyPlanEntry> plan = PlanPolicies(current, proposed);
        for (v1::PolicyPlanEntry& e :
             PlanVpnProfiles(current_profiles, proposed_profiles)) {
          plan.push_back(std::move(e));
        }
        for (auto& e : plan) *response->add_plan() = e;
        response->set_previous_version(version);
        if (dry_run || !PlanChangesSomething(plan)) return absl::OkStatus();

        v1::PolicyBundle bundle = draft;
        bundle.set_version(version + 1);
        *bundle.mutable_published_at() = ToProtoTime(now);
        bundle.set_published_by(actor);
        auto signed_bundle =
            policy::SignBundle(bundle, pki->policy_signing.private_key_pem);
        if (!signed_bundle.ok()) return signed_bundle.status();
        PolicyBundleRecord record;
        record.version = bundle.version();
        record.published_at = now;
        record.published_by = actor;
        record.signed_bundle = signed_bundle->SerializeAsString();
        absl::Status s = w.InsertPolicyBundle(record);
        if (!s.ok()) return s;
        int added = 0, changed = 0, removed = 0;
        for (const auto& e : plan) {
          added += e.change() == v1::PolicyPlanEntry::CHANGE_ADDED;
          changed += e.change() == v1::PolicyPlanEntry::CHANGE_CHANGED;
          removed += e.change() == v1::PolicyPlanEntry::CHANGE_REMOVED;
        }
        AuditRecord a;
        a.time = now;
        a.actor = actor;
        a.action = "policy.publish";
        a.target = absl::StrCat("bundle:", bundle.version());
        a.details_json =
            JsonObject()
                .Add("version", static_cast<int64_t>(bundle.version()))
                .Add("policies", static_cast<int64_t>(proposed.size()))
                .Add("vpn_profiles",
                     static_cast<int64_t>(proposed_profiles.size()))
                .Add("added", int64_t{added})
                .Add("changed", int64_t{changed})
                .Add("removed", int64_t{removed})
                .Add("key_id", signed_bundle->key_id())
                .Build();
        s = AppendAudit(w, a).status();
        if (!s.ok()) return s;
        published->bundle = std::move(bundle);
        published->signed_bundle = *std::move(signed_bundle);
        response->set_published_version(published->bundle.version());
        return absl::OkStatus();
      },
      [this, response, published, done = std::move(done)](absl::Status s) {
        if (!s.ok()) {
          done(s);
          return;
        }
        if (response->published_version() != 0) {
          Install(published);
          LogInfo("policy: published bundle version ",
                  response->published_version());
          if (on_published_) on_published_();
        }
        done(*response);
      });
}

}  // namespace trellis::server
