#include "common/policy/evaluator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/facts/fact_schema.h"
#include "common/policy/policy_loader.h"

namespace trellis::policy {
namespace {

constexpr size_t kMaxDetailLines = 20;

std::string FormatRows(const QueryRows& rows) {
  std::vector<std::string> lines;
  for (const auto& row : rows.rows) {
    if (lines.size() == kMaxDetailLines) {
      lines.push_back(absl::StrCat("... (", rows.rows.size() - kMaxDetailLines,
                                   " more)"));
      break;
    }
    std::vector<std::string> cells;
    for (size_t c = 0; c < row.size() && c < rows.columns.size(); ++c) {
      cells.push_back(absl::StrCat(rows.columns[c], "=", row[c]));
    }
    lines.push_back(absl::StrJoin(cells, ", "));
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

const char* CheckStateWord(v1::CheckState state) {
  switch (state) {
    case v1::CHECK_STATE_PASS:
      return "pass";
    case v1::CHECK_STATE_FAIL:
      return "fail";
    case v1::CHECK_STATE_ERROR:
      return "error";
    case v1::CHECK_STATE_NOT_APPLICABLE:
      return "n/a";
    default:
      return "?";
  }
}

bool Applies(const v1::Policy& policy, const v1::Check* check,
             const DeviceContext& device) {
  if (!AppliesToDevice(policy.applies_to(), device)) return false;
  if (check == nullptr || check->platforms().empty()) return true;
  return std::find(check->platforms().begin(), check->platforms().end(),
                   device.platform) != check->platforms().end();
}

std::string RemediationFor(const v1::Remediation& remediation,
                           v1::Platform platform) {
  auto it = remediation.by_platform().find(PlatformName(platform));
  if (it != remediation.by_platform().end()) return it->second;
  return remediation.text();
}

absl::StatusOr<std::unique_ptr<Evaluator>> Evaluator::Compile(
    const v1::PolicyBundle& bundle, SandboxLimits limits) {
  std::unique_ptr<Evaluator> e(new Evaluator());
  e->bundle_ = bundle;
  auto db = FactDatabase::Create(limits);
  if (!db.ok()) return db.status();
  e->db_ = *std::move(db);
  for (const v1::Policy& policy : e->bundle_.policies()) {
    for (const v1::Check& check : policy.checks()) {
      CompiledCheck c{&policy, &check, nullptr, nullptr};
      auto query = e->db_->Prepare(check.query());
      if (!query.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("policy ", policy.id(), " check ", check.id(),
                         ": query: ", query.status().message()));
      }
      c.query = *std::move(query);
      e->tables_read_.insert(c.query->tables().begin(), c.query->tables().end());
      if (!check.detail_query().empty()) {
        auto detail = e->db_->Prepare(check.detail_query());
        if (!detail.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("policy ", policy.id(), " check ", check.id(),
                           ": detail_query: ", detail.status().message()));
        }
        c.detail = *std::move(detail);
        e->tables_read_.insert(c.detail->tables().begin(),
                               c.detail->tables().end());
      }
      e->checks_.push_back(std::move(c));
    }
  }
  return e;
}

v1::CheckResult Evaluator::EvaluateCheck(CompiledCheck& c,
                                         const DeviceContext& device) {
  v1::CheckResult r;
  r.set_policy_id(c.policy->id());
  r.set_check_id(c.check->id());
  r.set_title(c.check->title());
  r.set_severity(c.check->severity());
  r.set_enforcement(c.policy->enforcement());
  r.set_grace_period_seconds(c.check->grace_period_seconds());
  r.set_remediation(RemediationFor(c.check->remediation(), device.platform));
  if (!Applies(*c.policy, c.check, device)) {
    r.set_state(v1::CHECK_STATE_NOT_APPLICABLE);
    return r;
  }
  // A table this platform never has, or this ownership never sends, makes
  // the check not applicable; one the device failed to read makes it an
  // error.
  uint32_t platform_bit = facts::PlatformBitFor(device.platform);
  for (const std::string& table : c.query->tables()) {
    const facts::TableSpec* spec = facts::FindTable(table);
    if (spec == nullptr) continue;
    if ((spec->platforms & platform_bit) == 0 ||
        !facts::AllowedFor(spec->privacy, device.ownership)) {
      r.set_state(v1::CHECK_STATE_NOT_APPLICABLE);
      return r;
    }
    if (!db_->HasTable(table)) {
      r.set_state(v1::CHECK_STATE_ERROR);
      r.set_error(absl::StrCat("fact table ", table,
                               " is unknown on this device: ",
                               db_->UnknownReason(table)));
      return r;
    }
  }
  auto matched = db_->Matches(*c.query);
  if (!matched.ok()) {
    r.set_state(v1::CHECK_STATE_ERROR);
    r.set_error(std::string(matched.status().message()));
    return r;
  }
  if (*matched) {
    r.set_state(v1::CHECK_STATE_PASS);
    return r;
  }
  r.set_state(v1::CHECK_STATE_FAIL);
  if (c.detail != nullptr) {
    auto rows = db_->Fetch(*c.detail);
    r.set_detail(rows.ok() ? FormatRows(*rows)
                           : absl::StrCat("(detail query failed: ",
                                          rows.status().message(), ")"));
  }
  return r;
}

v1::Verdict Evaluator::Evaluate(const DeviceContext& device,
                                const v1::PostureReport& report) {
  v1::Verdict verdict;
  verdict.set_bundle_version(bundle_.version());
  std::vector<const v1::FactTable*> tables;
  for (const v1::FactTable& t : report.tables()) tables.push_back(&t);
  absl::Status loaded = db_->Load(tables, &tables_read_);
  bool compliant = true;
  for (CompiledCheck& c : checks_) {
    v1::CheckResult r;
    if (!loaded.ok()) {
      r = EvaluateCheck(c, device);
      if (r.state() != v1::CHECK_STATE_NOT_APPLICABLE) {
        r.set_state(v1::CHECK_STATE_ERROR);
        r.set_error(absl::StrCat("facts could not be loaded: ",
                                 loaded.message()));
      }
    } else {
      r = EvaluateCheck(c, device);
    }
    if (c.policy->enforcement() != v1::ENFORCEMENT_REPORT &&
        (r.state() == v1::CHECK_STATE_FAIL ||
         r.state() == v1::CHECK_STATE_ERROR)) {
      compliant = false;
    }
    *verdict.add_results() = std::move(r);
  }
  verdict.set_compliant(compliant);
  return verdict;
}

}  // namespace trellis::policy
