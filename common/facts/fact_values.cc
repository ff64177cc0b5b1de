#include "common/facts/fact_values.h"

#include "absl/strings/str_cat.h"

namespace trellis::facts {

std::string FactValueText(const v1::FactValue& value,
                          absl::string_view null_text) {
  switch (value.value_case()) {
    case v1::FactValue::kTextValue:
      return value.text_value();
    case v1::FactValue::kIntegerValue:
      return absl::StrCat(value.integer_value());
    case v1::FactValue::kRealValue:
      return absl::StrCat(value.real_value());
    case v1::FactValue::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case v1::FactValue::VALUE_NOT_SET:
      break;
  }
  return std::string(null_text);
}

std::string FirstRowText(const v1::FactTable& table, absl::string_view column) {
  if (table.rows_size() == 0) return "";
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c) != column || c >= table.rows(0).values_size())
      continue;
    const v1::FactValue& v = table.rows(0).values(c);
    return v.value_case() == v1::FactValue::kTextValue ? v.text_value() : "";
  }
  return "";
}

std::string FirstRowText(const v1::PostureReport& report,
                         absl::string_view table, absl::string_view column) {
  for (const v1::FactTable& t : report.tables()) {
    if (t.name() == table) return FirstRowText(t, column);
  }
  return "";
}

}  // namespace trellis::facts
