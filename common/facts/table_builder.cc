#include "common/facts/table_builder.h"

#include <cstdio>
#include <cstdlib>

namespace trellis::facts {
namespace {

[[noreturn]] void Die(absl::string_view what, absl::string_view name) {
  std::fprintf(stderr, "fact table builder: %.*s '%.*s'\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(name.size()), name.data());
  std::abort();
}

}  // namespace

TableBuilder::TableBuilder(absl::string_view table) : spec_(FindTable(table)) {
  if (spec_ == nullptr) Die("undeclared table", table);
  table_.set_name(spec_->name);
  for (const ColumnSpec& c : spec_->columns) table_.add_columns(c.name);
}

TableBuilder& TableBuilder::Row() {
  v1::FactRow* row = table_.add_rows();
  for (size_t i = 0; i < spec_->columns.size(); ++i) row->add_values();
  return *this;
}

v1::FactValue* TableBuilder::Cell(absl::string_view column, ColumnType type) {
  int index = spec_->ColumnIndex(column);
  if (index < 0) Die("undeclared column", column);
  if (spec_->columns[index].type != type) Die("wrong type for column", column);
  if (table_.rows_size() == 0) Die("no row started for column", column);
  return table_.mutable_rows(table_.rows_size() - 1)->mutable_values(index);
}

TableBuilder& TableBuilder::Text(absl::string_view column,
                                 std::optional<std::string> v) {
  v1::FactValue* cell = Cell(column, ColumnType::kText);
  if (v) cell->set_text_value(*std::move(v));
  return *this;
}

TableBuilder& TableBuilder::Integer(absl::string_view column,
                                    std::optional<int64_t> v) {
  v1::FactValue* cell = Cell(column, ColumnType::kInteger);
  if (v) cell->set_integer_value(*v);
  return *this;
}

TableBuilder& TableBuilder::Real(absl::string_view column,
                                 std::optional<double> v) {
  v1::FactValue* cell = Cell(column, ColumnType::kReal);
  if (v) cell->set_real_value(*v);
  return *this;
}

TableBuilder& TableBuilder::Bool(absl::string_view column,
                                 std::optional<bool> v) {
  v1::FactValue* cell = Cell(column, ColumnType::kBool);
  if (v) cell->set_bool_value(*v);
  return *this;
}

v1::FactTable TableBuilder::Build() const {
  v1::FactTable out = table_;
  out.set_status(v1::FactTable::STATUS_OK);
  return out;
}

v1::FactTable TableBuilder::Unknown(absl::string_view table,
                                    absl::string_view reason) {
  TableBuilder builder(table);
  v1::FactTable out = builder.table_;
  out.set_status(v1::FactTable::STATUS_UNKNOWN);
  out.set_unknown_reason(std::string(reason.substr(0, 1024)));
  return out;
}

}  // namespace trellis::facts
