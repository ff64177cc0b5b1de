#include "common/policy/evaluator.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/facts/fact_schema.h"
#include "common/policy/policy_loader.h"

namespace trellis::policy {
namespace {

constexpr size_t kMaxDetailLines = 20;
constexpr size_t kMaxErrorBytes = 1024;

// Cuts `text` to at most `max` bytes (on a UTF-8 character boundary) and
// says why with `marker`, which fits in the limit too.
void CapText(std::string& text, size_t max, absl::string_view marker) {
  if (text.size() <= max) return;
  size_t keep = max > marker.size() ? max - marker.size() : 0;
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xc0) == 0x80) {
    --keep;
  }
  text.resize(keep);
  text.append(marker.data(), std::min(marker.size(), max));
}

std::string FormatRows(const QueryRows& rows, size_t max_bytes) {
  std::vector<std::string> lines;
  for (const auto& row : rows.rows) {
    if (lines.size() == kMaxDetailLines) {
      lines.push_back(absl::StrCat("... (", rows.rows.size() - kMaxDetailLines,
                                   rows.truncated ? " or more" : "", " more)"));
      break;
    }
    std::vector<std::string> cells;
    for (size_t c = 0; c < row.size() && c < rows.columns.size(); ++c) {
      cells.push_back(absl::StrCat(rows.columns[c], "=", row[c]));
    }
    lines.push_back(absl::StrJoin(cells, ", "));
  }
  if (rows.truncated && rows.rows.size() <= kMaxDetailLines) {
    lines.push_back("... (more rows)");
  }
  std::string text = absl::StrJoin(lines, "\n");
  CapText(text, max_bytes,
          absl::StrCat("\n... (cut at ", max_bytes, " bytes)"));
  return text;
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
  e->limits_ = limits;
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
      e->tables_read_.insert(c.query->tables().begin(),
                             c.query->tables().end());
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

v1::CheckResult Evaluator::EvaluateCheckHeader(const CompiledCheck& c,
                                               const DeviceContext& device) {
  v1::CheckResult r;
  r.set_policy_id(c.policy->id());
  r.set_check_id(c.check->id());
  r.set_title(c.check->title());
  r.set_severity(c.check->severity());
  r.set_enforcement(c.policy->enforcement());
  r.set_grace_period_seconds(c.check->grace_period_seconds());
  r.set_remediation(RemediationFor(c.check->remediation(), device.platform));
  return r;
}

v1::CheckResult Evaluator::EvaluateCheck(CompiledCheck& c,
                                         const DeviceContext& device) {
  v1::CheckResult r = EvaluateCheckHeader(c, device);
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
      r.set_error(absl::StrCat(
          "fact table ", table,
          " is unknown on this device: ", db_->UnknownReason(table)));
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
    r.set_detail(rows.ok() ? FormatRows(*rows, limits_.max_detail_bytes)
                           : absl::StrCat("(detail query failed: ",
                                          rows.status().message(), ")"));
  }
  return r;
}

v1::Verdict Evaluator::Evaluate(const DeviceContext& device,
                                const v1::PostureReport& report,
                                EvaluationCost* cost) {
  v1::Verdict verdict;
  verdict.set_bundle_version(bundle_.version());
  std::vector<const v1::FactTable*> tables;
  for (const v1::FactTable& t : report.tables()) tables.push_back(&t);
  absl::Status loaded = db_->Load(tables, &tables_read_);
  const Clock& clock = *limits_.clock;
  const absl::Time start = clock.Now();
  db_->SetNow(report.has_collected_at()
                  ? absl::FromUnixSeconds(report.collected_at().seconds()) +
                        absl::Nanoseconds(report.collected_at().nanos())
                  : start);
  const absl::Time budget_end = start + limits_.evaluation_time;
  db_->SetEvaluationDeadline(budget_end);
  size_t text_left = limits_.max_verdict_text_bytes;
  const std::string verdict_cut =
      absl::StrCat("\n... (cut: the verdict's ", limits_.max_verdict_text_bytes,
                   " bytes of detail are used up)");
  bool compliant = true;
  bool budget_used_up = false;
  absl::Time check_start = start;
  for (CompiledCheck& c : checks_) {
    v1::CheckResult r;
    if (check_start >= budget_end && Applies(*c.policy, c.check, device)) {
      // Not run: the budget is spent, and an unrun check is never a pass.
      r = EvaluateCheckHeader(c, device);
      r.set_state(v1::CHECK_STATE_ERROR);
      r.set_error(absl::StrCat(
          "not run: ", kEvaluationBudgetUsedUp, " (",
          absl::FormatDuration(limits_.evaluation_time),
          " for all checks of one device) by the checks before it"));
    } else {
      r = EvaluateCheck(c, device);
      if (!loaded.ok() && r.state() != v1::CHECK_STATE_NOT_APPLICABLE) {
        r.set_state(v1::CHECK_STATE_ERROR);
        r.set_error(
            absl::StrCat("facts could not be loaded: ", loaded.message()));
      }
    }
    if (r.state() == v1::CHECK_STATE_ERROR &&
        absl::StrContains(r.error(), kEvaluationBudgetUsedUp)) {
      budget_used_up = true;
    }
    // Detail and errors are bounded per check and per verdict, so no check
    // can make a verdict too big to send or store. Errors (our own short
    // reasons) keep their own cap: they say why a check could not be judged.
    CapText(*r.mutable_error(), kMaxErrorBytes,
            absl::StrCat("\n... (cut at ", kMaxErrorBytes, " bytes)"));
    text_left -= std::min(text_left, r.error().size());
    CapText(
        *r.mutable_detail(), limits_.max_detail_bytes,
        absl::StrCat("\n... (cut at ", limits_.max_detail_bytes, " bytes)"));
    if (r.detail().size() > text_left) {
      CapText(*r.mutable_detail(), std::max(text_left, verdict_cut.size()),
              verdict_cut);
    }
    text_left -= std::min(text_left, r.detail().size());
    if (c.policy->enforcement() != v1::ENFORCEMENT_REPORT &&
        (r.state() == v1::CHECK_STATE_FAIL ||
         r.state() == v1::CHECK_STATE_ERROR)) {
      compliant = false;
    }
    absl::Time check_end = clock.Now();
    if (cost != nullptr) {
      cost->checks.push_back(
          {c.policy->id(), c.check->id(), check_end - check_start});
    }
    check_start = check_end;
    *verdict.add_results() = std::move(r);
  }
  db_->SetEvaluationDeadline(absl::InfiniteFuture());
  if (cost != nullptr) {
    cost->total = check_start - start;
    cost->budget_used_up = budget_used_up;
  }
  verdict.set_compliant(compliant);
  return verdict;
}

}  // namespace trellis::policy
