// fact-collection: runs every fact collector again, as a check-in would,
// and reports per table how long it took, how many rows it found, or why
// it could not tell. Values are not shown: the check-in sends them, and
// `trellis-agent show-data` shows them to the employee.
//
// Basic class: on a personal device only the basic-class tables are
// collected at all, exactly as for a check-in (report_collector.h), and the
// output holds table names, timings and counts only.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/steps.h"
#include "agent/facts/report_collector.h"
#include "common/facts/fact_schema.h"

namespace trellis::agent::diagnostics {
namespace {

absl::Status Run(DiagnosticContext& context) {
  if (!context.env().collectors) {
    return absl::FailedPreconditionError("no fact collectors on this build");
  }
  auto record = context.env().state->LoadRecord();
  // Before enrolment the device's ownership is unknown: personal, the
  // stricter.
  const v1::Ownership ownership =
      OwnershipFromText(record.ok() ? record->ownership : "personal");
  CollectContext collect{context.env().system, &context.runner(),
                         context.env().clock};
  int unknown = 0, collected = 0;
  const absl::Time all_start = context.clock().Now();
  for (const auto& collector : context.env().collectors()) {
    if (absl::Status s = context.CheckContinue(); !s.ok()) return s;
    const facts::TableSpec* spec = facts::FindTable(collector->table());
    if (spec == nullptr || !facts::AllowedFor(spec->privacy, ownership)) {
      context.Line(
          absl::StrCat(collector->table(), ": not collected on this device (",
                       spec == nullptr ? "undeclared"
                                       : facts::PrivacyClassName(spec->privacy),
                       ")"));
      continue;
    }
    collect.command_timeout = std::min(absl::Seconds(10), context.Remaining());
    const absl::Time start = context.clock().Now();
    v1::FactTable table = collector->Collect(collect);
    const absl::Duration took = context.clock().Now() - start;
    ++collected;
    if (table.status() == v1::FactTable::STATUS_UNKNOWN) {
      ++unknown;
      context.Line(absl::StrCat(table.name(), ": unknown after ", Millis(took),
                                ": ", table.unknown_reason()));
    } else {
      context.Line(absl::StrCat(table.name(), ": ", table.rows_size(),
                                " rows in ", Millis(took)));
    }
  }
  context.Line(absl::StrCat("total: ", collected, " tables (", unknown,
                            " unknown) in ",
                            Millis(context.clock().Now() - all_start)));
  return absl::OkStatus();
}

}  // namespace

DiagnosticSpec FactCollection() {
  return MakeDiagnostic(
      "fact-collection", PrivacyClass::kBasic, absl::Seconds(120), 16 << 10,
      "collect the device's facts again, with per-table timings and row "
      "counts (no values)",
      Run);
}

}  // namespace trellis::agent::diagnostics
