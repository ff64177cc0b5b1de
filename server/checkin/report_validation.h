// Structural checks on a posture report before anything is stored.
#ifndef TRELLIS_SERVER_CHECKIN_REPORT_VALIDATION_H_
#define TRELLIS_SERVER_CHECKIN_REPORT_VALIDATION_H_

#include "absl/status/status.h"
#include "trellis/v1/common.pb.h"

namespace trellis::server {

struct ReportLimits {
  int max_tables = 64;
  int max_columns = 64;
  int max_rows_per_table = 20000;
  size_t max_text_bytes = 16384;
};

// InvalidArgument naming the table, row and column that is wrong.
absl::Status ValidateReport(const v1::PostureReport& report,
                            const ReportLimits& limits = ReportLimits());

// SHA-256 over the tables only (not collected_at), so an unchanged posture
// hashes the same at every check-in.
std::string FactsHash(const v1::PostureReport& report);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_CHECKIN_REPORT_VALIDATION_H_
