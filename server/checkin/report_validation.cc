#include "server/checkin/report_validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

// Fact table and column names: [a-z_][a-z0-9_]{0,63}.
bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status ValidateReport(const v1::PostureReport& report,
                            const ReportLimits& limits) {
  if (!v1::Platform_IsValid(report.platform())) {
    return absl::InvalidArgumentError("report.platform is not known");
  }
  if (report.tables_size() > limits.max_tables) {
    return absl::InvalidArgumentError(
        absl::StrCat("report has ", report.tables_size(), " tables, at most ",
                     limits.max_tables));
  }
  absl::flat_hash_set<std::string> names;
  for (const v1::FactTable& table : report.tables()) {
    if (!IsIdentifier(table.name())) {
      return absl::InvalidArgumentError(
          absl::StrCat("report table name '", table.name().substr(0, 64),
                       "' is not a valid name ([a-z_][a-z0-9_]*, at most 64)"));
    }
    const std::string where = absl::StrCat("table ", table.name());
    if (!names.insert(table.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("report has ", where, " twice"));
    }
    if (table.status() != v1::FactTable::STATUS_OK &&
        table.status() != v1::FactTable::STATUS_UNKNOWN) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": status must be OK or UNKNOWN"));
    }
    absl::Status reason = CheckText(absl::StrCat(where, " unknown_reason"),
                                    table.unknown_reason(), 1024);
    if (!reason.ok()) return reason;
    if (table.status() == v1::FactTable::STATUS_UNKNOWN &&
        table.rows_size() > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": an UNKNOWN table must not carry rows"));
    }
    if (table.columns_size() == 0 ||
        table.columns_size() > limits.max_columns) {
      if (table.status() == v1::FactTable::STATUS_OK) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": needs 1 to ", limits.max_columns, " columns"));
      }
    }
    absl::flat_hash_set<std::string> columns;
    for (const std::string& column : table.columns()) {
      if (!IsIdentifier(column) || !columns.insert(column).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": column '", column.substr(0, 64),
                         "' is not a valid, unique column name"));
      }
    }
    if (table.rows_size() > limits.max_rows_per_table) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " has ", table.rows_size(), " rows, at most ",
                       limits.max_rows_per_table));
    }
    for (int r = 0; r < table.rows_size(); ++r) {
      const v1::FactRow& row = table.rows(r);
      if (row.values_size() != table.columns_size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " row ", r, " has ", row.values_size(),
                         " values for ", table.columns_size(), " columns"));
      }
      for (int c = 0; c < row.values_size(); ++c) {
        const v1::FactValue& v = row.values(c);
        if (v.value_case() == v1::FactValue::kTextValue &&
            v.text_value().size() > limits.max_text_bytes) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, " row ", r, " column ", table.columns(c),
              ": text longer than ", limits.max_text_bytes, " bytes"));
        }
      }
    }
  }
  return absl::OkStatus();
}

std::string FactsHash(const v1::PostureReport& report) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    out.WriteVarint32(static_cast<uint32_t>(report.platform()));
    for (const v1::FactTable& table : report.tables()) {
      table.SerializeToCodedStream(&out);
    }
  }
  return crypto::Sha256(bytes);
}

}  // namespace trellis::server
