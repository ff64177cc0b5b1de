// Builds a v1::FactTable that matches its declaration by construction:
// columns come from the schema, and each row is given by column name, so a
// collector cannot put a value in the wrong place or of the wrong type.
#ifndef TRELLIS_COMMON_FACTS_TABLE_BUILDER_H_
#define TRELLIS_COMMON_FACTS_TABLE_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/facts/fact_schema.h"
#include "trellis/v1/common.pb.h"

namespace trellis::facts {

class TableBuilder {
 public:
  // `table` must be declared in FactSchema(); aborts otherwise (a
  // programming error, caught by every collector's tests).
  explicit TableBuilder(absl::string_view table);

  // Starts a row; every column is NULL until set.
  TableBuilder& Row();
  TableBuilder& Text(absl::string_view column, std::optional<std::string> v);
  TableBuilder& Integer(absl::string_view column, std::optional<int64_t> v);
  TableBuilder& Real(absl::string_view column, std::optional<double> v);
  TableBuilder& Bool(absl::string_view column, std::optional<bool> v);

  // The table with status OK (zero rows is a valid answer: "none found").
  v1::FactTable Build() const;

  // A table that could not be collected: UNKNOWN, no rows, with the reason.
  static v1::FactTable Unknown(absl::string_view table,
                               absl::string_view reason);

 private:
  v1::FactValue* Cell(absl::string_view column, ColumnType type);
  const TableSpec* spec_;
  v1::FactTable table_;
};

}  // namespace trellis::facts

#endif  // TRELLIS_COMMON_FACTS_TABLE_BUILDER_H_
