#include "server/checkin/report_filter.h"

#include "absl/strings/str_cat.h"
#include "common/facts/fact_schema.h"

namespace trellis::server {
namespace {

bool TypeMatches(const v1::FactValue& v, facts::ColumnType type) {
  switch (v.value_case()) {
    case v1::FactValue::VALUE_NOT_SET:
      return true;
    case v1::FactValue::kTextValue:
      return type == facts::ColumnType::kText;
    case v1::FactValue::kIntegerValue:
      return type == facts::ColumnType::kInteger;
    case v1::FactValue::kRealValue:
      return type == facts::ColumnType::kReal;
    case v1::FactValue::kBoolValue:
      return type == facts::ColumnType::kBool;
  }
  return false;
}

}  // namespace

absl::StatusOr<FilteredReport> FilterReport(const v1::PostureReport& report,
                                            v1::Ownership ownership) {
  FilteredReport out;
  out.report.set_platform(report.platform());
  *out.report.mutable_collected_at() = report.collected_at();
  for (const v1::FactTable& table : report.tables()) {
    const facts::TableSpec* spec = facts::FindTable(table.name());
    if (spec == nullptr || !facts::AllowedFor(spec->privacy, ownership)) {
      out.dropped_tables.push_back(table.name());
      continue;
    }
    std::vector<facts::ColumnType> types;
    for (const std::string& column : table.columns()) {
      int index = spec->ColumnIndex(column);
      if (index < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("table ", table.name(), ": column '", column,
                         "' is not declared in the fact schema"));
      }
      types.push_back(spec->columns[index].type);
    }
    for (int r = 0; r < table.rows_size(); ++r) {
      for (int c = 0; c < table.rows(r).values_size(); ++c) {
        if (!TypeMatches(table.rows(r).values(c), types[c])) {
          return absl::InvalidArgumentError(absl::StrCat(
              "table ", table.name(), " row ", r, " column ",
              table.columns(c), ": expected ", facts::ColumnTypeName(types[c])));
        }
      }
    }
    *out.report.add_tables() = table;
  }
  return out;
}

}  // namespace trellis::server
