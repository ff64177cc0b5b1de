// Time-limited admin exceptions: one check on one device, with a reason,
// audited. An excepted failure is still shown but costs no access.
#ifndef TRELLIS_SERVER_COMPLIANCE_EXCEPTION_ADMIN_H_
#define TRELLIS_SERVER_COMPLIANCE_EXCEPTION_ADMIN_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/util/clock.h"
#include "server/compliance/compliance_redecider.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"
#include "trellis/v1/policy.pb.h"

namespace trellis::server {

class ExceptionAdmin {
 public:
  // Adding or removing an exception re-decides the device at once, through
  // `redecider` (may be null in tests of the bookkeeping alone).
  ExceptionAdmin(Store* store, const Clock* clock,
                 const ComplianceRedecider* redecider)
      : store_(store), clock_(clock), redecider_(redecider) {}

  void Add(const std::string& actor, const v1::AddExceptionRequest& request,
           std::function<void(absl::StatusOr<v1::AddExceptionResponse>)> done);
  absl::StatusOr<v1::ListExceptionsResponse> List(
      const v1::ListExceptionsRequest& request);
  void Remove(
      const std::string& actor, const v1::RemoveExceptionRequest& request,
      std::function<void(absl::StatusOr<v1::RemoveExceptionResponse>)> done);

 private:
  Store* store_;
  const Clock* clock_;
  const ComplianceRedecider* redecider_;
};

// Marks the verdict's results covered by an exception active at `now`.
void ApplyExceptions(const std::vector<ExceptionRecord>& exceptions,
                     absl::Time now, v1::Verdict* verdict);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_COMPLIANCE_EXCEPTION_ADMIN_H_
