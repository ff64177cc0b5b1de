// Reading facts back out of tables: one way to show a value and to find a
// cell, shared by the agent's views, the server and trellisctl.
#ifndef TRELLIS_COMMON_FACTS_FACT_VALUES_H_
#define TRELLIS_COMMON_FACTS_FACT_VALUES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::facts {

// A value as text; `null_text` for NULL.
std::string FactValueText(const v1::FactValue& value,
                          absl::string_view null_text = "NULL");

// The text in `column` of the table's first row; "" when the column, the
// row or a text value is missing.
std::string FirstRowText(const v1::FactTable& table, absl::string_view column);

// As above, for the table named `table` in a report.
std::string FirstRowText(const v1::PostureReport& report,
                         absl::string_view table, absl::string_view column);

}  // namespace trellis::facts

#endif  // TRELLIS_COMMON_FACTS_FACT_VALUES_H_
