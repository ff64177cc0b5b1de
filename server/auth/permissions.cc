#include "server/auth/permissions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace trellis::server {
namespace {

using v1::ROLE_ADMIN;
using v1::ROLE_AUDITOR;
using v1::ROLE_GATEWAY;
using v1::ROLE_HELPDESK;

// Operators who look after devices and read the fleet's state.
const std::vector<v1::Role> kReaders = {ROLE_ADMIN, ROLE_HELPDESK,
                                        ROLE_AUDITOR};
const std::vector<v1::Role> kAdmins = {ROLE_ADMIN};

const std::vector<OperationRule>& Rules() {
  static const auto* rules = new std::vector<OperationRule>{
      {Operation::kEnroll,
       "trellis.v1.DeviceService/Enroll",
       Caller::kTokenHolder,
       {},
       "enrol a device with a token"},
      {Operation::kRenew,
       "trellis.v1.DeviceService/Renew",
       Caller::kDevice,
       {},
       "renew the device's own certificate"},
      {Operation::kCheckIn,
       "trellis.v1.DeviceService/CheckIn",
       Caller::kDevice,
       {},
       "report the device's own facts"},
      {Operation::kFetchPolicyBundle,
       "trellis.v1.DeviceService/FetchPolicyBundle",
       Caller::kDevice,
       {},
       "fetch the signed policy bundle"},
      {Operation::kWhoAmI,
       "trellis.v1.AdminService/WhoAmI",
       Caller::kOperator,
       {ROLE_ADMIN, ROLE_HELPDESK, ROLE_AUDITOR, ROLE_GATEWAY},
       "who the credential belongs to"},
      {Operation::kCreateEnrollmentToken,
       "trellis.v1.AdminService/CreateEnrollmentToken", Caller::kOperator,
       kAdmins, "create an enrolment token"},
      {Operation::kListEnrollmentTokens,
       "trellis.v1.AdminService/ListEnrollmentTokens", Caller::kOperator,
       kReaders, "list enrolment tokens (never their secrets)"},
      {Operation::kRevokeEnrollmentToken,
       "trellis.v1.AdminService/RevokeEnrollmentToken", Caller::kOperator,
       kAdmins, "revoke an enrolment token"},
      {Operation::kListDevices, "trellis.v1.AdminService/ListDevices",
       Caller::kOperator, kReaders, "list devices"},
      {Operation::kGetDevice, "trellis.v1.AdminService/GetDevice",
       Caller::kOperator, kReaders, "one device with its last report"},
      {Operation::kRevokeDevice, "trellis.v1.AdminService/RevokeDevice",
       Caller::kOperator, kAdmins, "revoke a device"},
      {Operation::kRetireDevice, "trellis.v1.AdminService/RetireDevice",
       Caller::kOperator, kAdmins, "retire a device"},
      {Operation::kListAuditEvents, "trellis.v1.AdminService/ListAuditEvents",
       Caller::kOperator, kReaders, "read the audit log"},
      {Operation::kVerifyAuditChain, "trellis.v1.AdminService/VerifyAuditChain",
       Caller::kOperator, kReaders, "verify the audit hash chain"},
      {Operation::kListAuditCheckpoints,
       "trellis.v1.AdminService/ListAuditCheckpoints", Caller::kOperator,
       kReaders, "read the signed audit checkpoints"},
      {Operation::kPlanPolicies, "trellis.v1.AdminService/PublishPolicies",
       Caller::kOperator, kReaders,
       "plan a policy change (PublishPolicies with dry_run)"},
      {Operation::kPublishPolicies, "trellis.v1.AdminService/PublishPolicies",
       Caller::kOperator, kAdmins, "publish a policy bundle"},
      {Operation::kGetPolicyBundle, "trellis.v1.AdminService/GetPolicyBundle",
       Caller::kOperator, kReaders, "read the published bundle"},
      {Operation::kGetComplianceSummary,
       "trellis.v1.AdminService/GetComplianceSummary", Caller::kOperator,
       kReaders, "fleet pass rates"},
      {Operation::kGetDeviceHistory, "trellis.v1.AdminService/GetDeviceHistory",
       Caller::kOperator, kReaders, "a device's compliance history"},
      {Operation::kAddException, "trellis.v1.AdminService/AddException",
       Caller::kOperator, kAdmins, "grant a time-limited exception"},
      {Operation::kListExceptions, "trellis.v1.AdminService/ListExceptions",
       Caller::kOperator, kReaders, "list exceptions"},
      {Operation::kRemoveException, "trellis.v1.AdminService/RemoveException",
       Caller::kOperator, kAdmins, "end an exception"},
      {Operation::kWatchPeers,
       "trellis.v1.GatewayService/WatchPeers",
       Caller::kOperator,
       {ROLE_GATEWAY, ROLE_ADMIN},
       "stream the VPN gateway's allowed peers"},
  };
  return *rules;
}

// "admin", "gateway or admin", "admin, helpdesk or auditor".
std::string RoleList(const std::vector<v1::Role>& roles) {
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) out += i + 1 == roles.size() ? " or " : ", ";
    out += RoleName(roles[i]);
  }
  return out;
}

const char* CallerWord(Caller caller) {
  switch (caller) {
    case Caller::kTokenHolder:
      return "enrolment token";
    case Caller::kDevice:
      return "device";
    case Caller::kOperator:
      return "operator";
  }
  return "?";
}

}  // namespace

absl::Span<const OperationRule> OperationRules() { return Rules(); }

const OperationRule& RuleFor(Operation operation) {
  for (const OperationRule& rule : Rules()) {
    if (rule.operation == operation) return rule;
  }
  // Every enumerator has a row (PermissionTableTest checks).
  static const OperationRule* none = new OperationRule{
      operation, "", Caller::kOperator, {}, "unknown operation"};
  return *none;
}

const char* RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_HELPDESK:
      return "helpdesk";
    case v1::ROLE_AUDITOR:
      return "auditor";
    case v1::ROLE_GATEWAY:
      return "gateway";
    default:
      return "unknown";
  }
}

absl::Status CheckOperatorRole(Operation operation, v1::Role role) {
  const OperationRule& rule = RuleFor(operation);
  if (rule.caller != Caller::kOperator) {
    return absl::PermissionDeniedError(
        absl::StrCat("operators may not ", rule.summary, "; only a ",
                     CallerWord(rule.caller), " may"));
  }
  if (std::find(rule.roles.begin(), rule.roles.end(), role) !=
      rule.roles.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(role), " may not ", rule.summary,
                   "; it needs role ", RoleList(rule.roles)));
}

std::string RenderPermissionTable() {
  std::string out =
      "| RPC | operation | caller | operator roles |\n"
      "| --- | --- | --- | --- |\n";
  for (const OperationRule& rule : Rules()) {
    absl::StrAppend(
        &out, "| `", rule.rpc, "` | ", rule.summary, " | ",
        CallerWord(rule.caller), " | ",
        rule.caller == Caller::kOperator ? RoleList(rule.roles) : "-", " |\n");
  }
  return out;
}

}  // namespace trellis::server
