// Helpers the per-platform collector tests share: readable rows and a
// collect-and-check-the-schema step.
#ifndef TRELLIS_TESTS_AGENT_FACTS_COLLECTOR_TEST_UTIL_H_
#define TRELLIS_TESTS_AGENT_FACTS_COLLECTOR_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/facts/collector.h"
#include "common/facts/fact_schema.h"
#include "common/facts/fact_values.h"
#include "gtest/gtest.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::collector_testing {

inline std::string ValueString(const v1::FactValue& v) {
  return facts::FactValueText(v);
}

// "col=value col=value ..." for row `r`.
inline std::string RowString(const v1::FactTable& table, int r) {
  std::vector<std::string> cells;
  if (r >= table.rows_size()) return "<no row>";
  for (int c = 0; c < table.columns_size(); ++c) {
    cells.push_back(absl::StrCat(table.columns(c), "=",
                                 ValueString(table.rows(r).values(c))));
  }
  return absl::StrJoin(cells, " ");
}

// Runs `collector` against `runner` and checks the result against the
// schema, as the agent's report would be.
inline v1::FactTable CollectChecked(Collector& collector,
                                    CommandRunner& runner) {
  CollectContext ctx{nullptr, &runner, nullptr};
  v1::FactTable table = collector.Collect(ctx);
  EXPECT_EQ(table.name(), collector.table());
  absl::Status schema = facts::CheckTableAgainstSchema(table);
  EXPECT_TRUE(schema.ok()) << schema;
  return table;
}

}  // namespace trellis::agent::collector_testing

#endif  // TRELLIS_TESTS_AGENT_FACTS_COLLECTOR_TEST_UTIL_H_
