// Who may do what: one row per operation, the only place the server decides
// which caller and which operator roles an operation needs. Every RPC names
// the operation it performs (a PublishPolicies dry run is a different
// operation from a publish), and any later edge (HTTP console) uses the
// same rows. docs/permissions.md is this table rendered; a test keeps them
// equal, and another fails for an RPC that has no row.
#ifndef TRELLIS_SERVER_AUTH_PERMISSIONS_H_
#define TRELLIS_SERVER_AUTH_PERMISSIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "trellis/v1/common.pb.h"

namespace trellis::server {

enum class Operation {
  // Device service.
  kEnroll,
  kRenew,
  kCheckIn,
  kFetchPolicyBundle,
  // Admin service.
  kWhoAmI,
  kCreateEnrollmentToken,
  kListEnrollmentTokens,
  kRevokeEnrollmentToken,
  kListDevices,
  kGetDevice,
  kRevokeDevice,
  kRetireDevice,
  kListAuditEvents,
  kVerifyAuditChain,
  kListAuditCheckpoints,
  kPlanPolicies,     // PublishPolicies with dry_run
  kPublishPolicies,  // PublishPolicies without dry_run
  kGetPolicyBundle,
  kGetComplianceSummary,
  kGetDeviceHistory,
  kAddException,
  kListExceptions,
  kRemoveException,
  // Gateway service.
  kWatchPeers,
};

// Who calls an operation.
enum class Caller {
  kTokenHolder,  // no certificate yet: proves itself with an enrolment token
  kDevice,       // an enrolled, active device's certificate
  kOperator,     // an operator certificate with one of `roles`
};

struct OperationRule {
  Operation operation;
  // "trellis.v1.AdminService/ListDevices": the RPC that performs it.
  const char* rpc;
  Caller caller;
  // Operator roles allowed (kOperator only).
  std::vector<v1::Role> roles;
  // What the operation does, in a few words, for the documented table.
  const char* summary;
};

// Every operation, in table order.
absl::Span<const OperationRule> OperationRules();
const OperationRule& RuleFor(Operation operation);

// OK when `role` may perform `operation`; otherwise PermissionDenied naming
// the role and the roles that may. Non-operator operations are always
// refused to operators.
absl::Status CheckOperatorRole(Operation operation, v1::Role role);

// "admin", "helpdesk", "auditor", "gateway".
const char* RoleName(v1::Role role);

// The table as markdown (docs/permissions.md holds this text).
std::string RenderPermissionTable();

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_AUTH_PERMISSIONS_H_
