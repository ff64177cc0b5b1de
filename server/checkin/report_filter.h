// What the server keeps of a report: declared tables only, and for personal
// devices basic-class tables only (whatever the agent sent). Columns must be
// declared and typed as declared; a table may omit columns (an older agent),
// which then read as NULL.
#ifndef TRELLIS_SERVER_CHECKIN_REPORT_FILTER_H_
#define TRELLIS_SERVER_CHECKIN_REPORT_FILTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trellis/v1/common.pb.h"

namespace trellis::server {

struct FilteredReport {
  v1::PostureReport report;
  std::vector<std::string> dropped_tables;
};

// InvalidArgument when a kept table has an undeclared column or a value of
// the wrong type (naming table, row and column).
absl::StatusOr<FilteredReport> FilterReport(const v1::PostureReport& report,
                                            v1::Ownership ownership);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_CHECKIN_REPORT_FILTER_H_
