#include "server/checkin/reported_device_fields.h"

#include "absl/strings/str_cat.h"
#include "common/facts/fact_values.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

struct CopiedColumn {
  const char* table;
  const char* column;
  size_t max_bytes;
  std::string ReportedDeviceFields::*field;
};

constexpr CopiedColumn kCopiedColumns[] = {
    {"os_version", "name", kMaxOsNameBytes, &ReportedDeviceFields::os_name},
    {"os_version", "version", kMaxOsVersionBytes,
     &ReportedDeviceFields::os_version},
};

// Every row, not only the first that is copied: a table is one unit of
// posture, and a later row may become the first after an agent upgrade.
absl::Status CheckColumn(const v1::FactTable& table,
                         const CopiedColumn& copied) {
  int index = -1;
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c) == copied.column) index = c;
  }
  if (index < 0) return absl::OkStatus();
  for (int r = 0; r < table.rows_size(); ++r) {
    if (index >= table.rows(r).values_size()) continue;
    const v1::FactValue& value = table.rows(r).values(index);
    if (value.value_case() != v1::FactValue::kTextValue) continue;
    absl::Status s = CheckText(absl::StrCat("table ", table.name(), " row ", r,
                                            " column ", copied.column),
                               value.text_value(), copied.max_bytes);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReportedDeviceFields> DeviceFieldsFromReport(
    const v1::PostureReport& report) {
  ReportedDeviceFields fields;
  for (const CopiedColumn& copied : kCopiedColumns) {
    for (const v1::FactTable& table : report.tables()) {
      if (table.name() != copied.table) continue;
      absl::Status s = CheckColumn(table, copied);
      if (!s.ok()) return s;
    }
    fields.*copied.field =
        facts::FirstRowText(report, copied.table, copied.column);
  }
  return fields;
}

}  // namespace trellis::server
