#include "tools/trellisctl/ctl_main.h"

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/facts/fact_schema.h"
#include "common/facts/fact_values.h"
#include "common/identity/operator_credentials.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_loader.h"
#include "common/policy/policy_text.h"
#include "common/rpc/tls_channel.h"
#include "common/util/args.h"
#include "common/util/files.h"
#include "common/util/proto_json.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "tools/trellisctl/audit_verify.h"
#include "tools/trellisctl/table_printer.h"
#include "trellis/v1/admin_service.grpc.pb.h"

namespace trellis::ctl {
namespace {

constexpr char kUsage[] =
    "usage: trellisctl [--credentials FILE] [--server ADDR] [--json] "
    "COMMAND\n"
    "\n"
    "  whoami\n"
    "  token create --group G --ownership corporate|personal [--uses N]\n"
    "               [--ttl 24h] [--description TEXT]\n"
    "  token list [--all]\n"
    "  token revoke TOKEN_ID\n"
    "  device list [--limit N]\n"
    "  device show DEVICE_ID\n"
    "  device revoke DEVICE_ID --reason TEXT\n"
    "  device retire DEVICE_ID --reason TEXT\n"
    "                                left service (returned, replaced); frees\n"
    "                                its tunnel address\n"
    "  device history DEVICE_ID      compliance state changes with causes\n"
    "  exception add DEVICE_ID POLICY/CHECK --until 7d|RFC3339 --reason TEXT\n"
    "  exception list [DEVICE_ID] [--all]\n"
    "  exception remove EXCEPTION_ID\n"
    "  audit list [--after SEQ] [--limit N]\n"
    "  audit verify\n"
    "  policy validate PATH          check policy and VPN profile files "
    "offline\n"
    "  policy apply PATH [--dry-run] show the plan, then publish\n"
    "  policy show                   the published bundle and VPN profiles\n"
    "  compliance summary            pass rates by policy, check, platform, "
    "group\n"
    "  facts reference               the fact tables as Markdown (offline)\n"
    "\n"
    "Credentials come from --credentials, $TRELLIS_CREDENTIALS, or\n"
    "~/.config/trellis/credentials (see trellis-server operator create).\n";

std::string When(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

// "OWNERSHIP_CORPORATE" -> "corporate".
std::string EnumWord(const std::string& name, absl::string_view prefix) {
  absl::string_view v = name;
  absl::ConsumePrefix(&v, prefix);
  std::string out(v);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::string ComplianceWord(v1::ComplianceState s) {
  return EnumWord(v1::ComplianceState_Name(s), "COMPLIANCE_STATE_");
}

class Ctl {
 public:
  Ctl(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  int Run(const std::vector<std::string>& argv);

 private:
  int Usage() {
    err_ << kUsage;
    return 2;
  }
  int Refused(const grpc::Status& status) {
    err_ << "trellisctl: " << ErrorCode(status.error_code()) << ": "
         << status.error_message() << "\n";
    return 1;
  }
  static const char* ErrorCode(grpc::StatusCode code);
  bool Connect();
  void Prepare(grpc::ClientContext* context) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
  }
  // Prints JSON when asked, else the human rendering.
  void Print(const google::protobuf::Message& m,
             const std::function<std::string()>& human) {
    out_ << (json_ ? ToJsonText(m) : human());
  }

  int WhoAmI();
  int TokenCreate();
  int TokenList();
  int TokenRevoke();
  int DeviceList();
  int DeviceShow();
  int DeviceRevoke();
  int DeviceRetire();
  int DeviceHistory();
  int ExceptionAdd();
  int ExceptionList();
  int ExceptionRemove();
  int AuditList();
  int AuditVerify();
  int PolicyValidate();
  int PolicyApply();
  int PolicyShow();
  int ComplianceSummary();
  int FactsReference();

  std::ostream& out_;
  std::ostream& err_;
  ParsedArgs args_;
  bool json_ = false;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

const char* Ctl::ErrorCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid argument";
    case grpc::StatusCode::NOT_FOUND:
      return "not found";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission denied";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "not authenticated";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "refused";
    case grpc::StatusCode::UNAVAILABLE:
      return "server unavailable";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "timed out";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "too much";
    default:
      return "error";
  }
}

bool Ctl::Connect() {
  std::string path = args_.Get("credentials");
  if (path.empty()) {
    const char* env = std::getenv("TRELLIS_CREDENTIALS");
    const char* home = std::getenv("HOME");
    path = env != nullptr ? env
                          : absl::StrCat(home ? home : ".",
                                         "/.config/trellis/credentials");
  }
  auto text = ReadFile(path);
  if (!text.ok()) {
    err_ << "trellisctl: cannot read credentials: " << text.status().message()
         << "\n";
    return false;
  }
  auto creds = identity::ParseOperatorCredentials(*text);
  if (!creds.ok()) {
    err_ << "trellisctl: " << path << ": " << creds.status().message() << "\n";
    return false;
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(64 << 20);
  std::string address = args_.Get("server", creds->server_address);
  stub_ = v1::AdminService::NewStub(rpc::MakeTlsChannel(
      address, rpc::OperatorTlsIdentity(*creds), channel_args));
  return true;
}

int Ctl::WhoAmI() {
  v1::WhoAmIRequest request;
  v1::WhoAmIResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->WhoAmI(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat(
        "operator:    ", response.operator_name(), "\n",
        "role:        ", EnumWord(v1::Role_Name(response.role()), "ROLE_"),
        "\n", "credentials: expire ", When(response.certificate_expires_at()),
        " UTC\n");
  });
  return 0;
}

std::string TokenStatusWord(v1::EnrollmentTokenInfo::Status s) {
  return EnumWord(v1::EnrollmentTokenInfo::Status_Name(s), "STATUS_");
}

int Ctl::TokenCreate() {
  v1::CreateEnrollmentTokenRequest request;
  request.set_group(args_.Get("group"));
  std::string ownership = args_.Get("ownership");
  if (ownership == "corporate") {
    request.set_ownership(v1::OWNERSHIP_CORPORATE);
  } else if (ownership == "personal") {
    request.set_ownership(v1::OWNERSHIP_PERSONAL);
  } else {
    err_ << "trellisctl: --ownership must be corporate or personal\n";
    return 2;
  }
  auto uses = args_.GetInt("uses", 1);
  if (!uses.ok()) {
    err_ << "trellisctl: " << uses.status().message() << "\n";
    return 2;
  }
  request.set_max_uses(static_cast<int32_t>(*uses));
  auto ttl = ParseHumanDuration(args_.Get("ttl", "24h"));
  if (!ttl.ok()) {
    err_ << "trellisctl: --ttl: " << ttl.status().message() << "\n";
    return 2;
  }
  request.set_ttl_seconds(absl::ToInt64Seconds(*ttl));
  request.set_description(args_.Get("description"));
  v1::CreateEnrollmentTokenResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->CreateEnrollmentToken(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat("Enrolment token (shown once; store it safely):\n\n  ",
                        response.token(), "\n\n", "id ",
                        response.info().token_id(), ", group ",
                        response.info().group(), ", ", ownership, ", ",
                        response.info().max_uses(), " use(s), expires ",
                        When(response.info().expires_at()), " UTC\n");
  });
  return 0;
}

int Ctl::TokenList() {
  v1::ListEnrollmentTokensRequest request;
  request.set_include_inactive(args_.Has("all"));
  v1::ListEnrollmentTokensResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->ListEnrollmentTokens(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    TablePrinter t({"ID", "GROUP", "OWNERSHIP", "USES", "STATUS", "EXPIRES",
                    "CREATED BY", "DESCRIPTION"});
    for (const auto& info : response.tokens()) {
      t.AddRow({info.token_id(), info.group(),
                EnumWord(v1::Ownership_Name(info.ownership()), "OWNERSHIP_"),
                absl::StrCat(info.uses(), "/", info.max_uses()),
                TokenStatusWord(info.status()), When(info.expires_at()),
                info.created_by(), info.description()});
    }
    return t.Render();
  });
  return 0;
}

int Ctl::TokenRevoke() {
  if (args_.positional.size() != 3) return Usage();
  v1::RevokeEnrollmentTokenRequest request;
  request.set_token_id(args_.positional[2]);
  v1::RevokeEnrollmentTokenResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->RevokeEnrollmentToken(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat("Token ", response.info().token_id(), " revoked.\n");
  });
  return 0;
}

std::vector<std::string> DeviceRow(const v1::DeviceSummary& d) {
  std::string state =
      EnumWord(v1::DeviceState_Name(d.state()), "DEVICE_STATE_");
  if (d.flagged_possible_clone()) state += " (possible clone)";
  return {d.device_id(),
          d.hostname(),
          EnumWord(v1::Platform_Name(d.platform()), "PLATFORM_"),
          absl::StrCat(d.os_name(), " ", d.os_version()),
          d.group(),
          EnumWord(v1::Ownership_Name(d.ownership()), "OWNERSHIP_"),
          state,
          ComplianceWord(d.compliance_state()),
          policy::VpnAccessWord(d.vpn_access()),
          When(d.last_seen_at())};
}

int Ctl::DeviceList() {
  auto limit = args_.GetInt("limit", 0);
  if (!limit.ok()) {
    err_ << "trellisctl: " << limit.status().message() << "\n";
    return 2;
  }
  v1::ListDevicesResponse all;
  std::string page_token;
  // Follow pages until the end (or --limit devices).
  do {
    v1::ListDevicesRequest request;
    request.set_page_size(500);
    request.set_page_token(page_token);
    v1::ListDevicesResponse page;
    grpc::ClientContext context;
    Prepare(&context);
    grpc::Status s = stub_->ListDevices(&context, request, &page);
    if (!s.ok()) return Refused(s);
    for (auto& d : *page.mutable_devices()) {
      if (*limit > 0 && all.devices_size() >= *limit) break;
      *all.add_devices() = std::move(d);
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && (*limit == 0 || all.devices_size() < *limit));
  Print(all, [&] {
    TablePrinter t({"DEVICE", "HOSTNAME", "PLATFORM", "OS", "GROUP",
                    "OWNERSHIP", "STATE", "COMPLIANCE", "VPN", "LAST SEEN"});
    for (const auto& d : all.devices()) t.AddRow(DeviceRow(d));
    return t.Render() + absl::StrCat(all.devices_size(), " device(s)\n");
  });
  return 0;
}

int Ctl::DeviceShow() {
  if (args_.positional.size() != 3) return Usage();
  v1::GetDeviceRequest request;
  request.set_device_id(args_.positional[2]);
  v1::GetDeviceResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->GetDevice(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    const auto& d = response.device();
    std::vector<std::string> row = DeviceRow(d);
    std::string out = absl::StrCat(
        "Device:        ", d.device_id(), "\n", "Hostname:      ", d.hostname(),
        "\n", "Serial:        ", d.hardware_serial(), "\n",
        "Platform:      ", row[2], "\n", "OS:            ", row[3], "\n",
        "Group:         ", d.group(), " (", row[5], ")\n",
        "State:         ", row[6], "\n",
        "Enrolled:      ", When(d.enrolled_at()), " UTC\n",
        "Last seen:     ", When(d.last_seen_at()), " UTC\n",
        "Certificate:   expires ", When(d.certificate_expires_at()), " UTC\n",
        "Agent:         ", d.agent_version(), "\n",
        "Check-ins:     ", response.last_checkin_sequence(), "\n",
        "VPN access:    ", row[8], "\n", "Tunnel:        ",
        d.tunnel_address().empty() ? "-" : d.tunnel_address(), "\n",
        "WireGuard key: ",
        d.wireguard_public_key().empty() ? "-" : d.wireguard_public_key(),
        "\n");
    if (!d.clone_of_device_id().empty()) {
      absl::StrAppend(&out, "Possible clone of ", d.clone_of_device_id(),
                      " (same hardware serial, different key)\n");
    }
    if (!response.revocation_reason().empty()) {
      absl::StrAppend(&out, "Revoked:       ", response.revocation_reason(),
                      "\n");
    }
    absl::StrAppend(
        &out, "Compliance state: ", ComplianceWord(d.compliance_state()),
        d.has_grace_deadline() ? absl::StrCat(" (access kept until ",
                                              When(d.grace_deadline()), " UTC)")
                               : "",
        "\n");
    if (response.checks_size() > 0) {
      absl::StrAppend(&out, "\nCompliance:    ",
                      response.compliant() ? "compliant" : "NOT compliant",
                      " (bundle ", response.evaluated_bundle_version(), ")\n");
      TablePrinter t({"STATE", "SINCE (UTC)", "POLICY/CHECK", "TITLE"});
      for (const auto& c : response.checks()) {
        t.AddRow({policy::CheckStateText(c), When(c.since()),
                  absl::StrCat(c.policy_id(), "/", c.check_id()), c.title()});
      }
      out += t.Render();
      for (const auto& c : response.checks()) {
        if (c.state() == v1::CHECK_STATE_FAIL && !c.detail().empty()) {
          absl::StrAppend(
              &out, "\n", c.policy_id(), "/", c.check_id(), " fails:\n  ",
              absl::StrReplaceAll(c.detail(), {{"\n", "\n  "}}), "\n");
        }
        if (c.state() == v1::CHECK_STATE_ERROR) {
          absl::StrAppend(&out, "\n", c.policy_id(), "/", c.check_id(),
                          " could not be checked: ", c.error(), "\n");
        }
      }
    }
    for (const auto& table : response.last_report().tables()) {
      absl::StrAppend(&out, "\n[", table.name(), "]");
      if (table.status() == v1::FactTable::STATUS_UNKNOWN) {
        absl::StrAppend(&out, " unknown: ", table.unknown_reason(), "\n");
        continue;
      }
      out += "\n";
      for (const auto& r : table.rows()) {
        for (int c = 0; c < table.columns_size() && c < r.values_size(); ++c) {
          absl::StrAppend(&out, "  ", table.columns(c), ": ",
                          facts::FactValueText(r.values(c)), "\n");
        }
      }
    }
    return out;
  });
  return 0;
}

int Ctl::DeviceRevoke() {
  if (args_.positional.size() != 3 || !args_.Has("reason")) return Usage();
  v1::RevokeDeviceRequest request;
  request.set_device_id(args_.positional[2]);
  request.set_reason(args_.Get("reason"));
  v1::RevokeDeviceResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->RevokeDevice(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat("Device ", response.device().device_id(), " (",
                        response.device().hostname(),
                        ") revoked; its next call will be refused.\n");
  });
  return 0;
}

int Ctl::DeviceRetire() {
  if (args_.positional.size() != 3 || !args_.Has("reason")) return Usage();
  v1::RetireDeviceRequest request;
  request.set_device_id(args_.positional[2]);
  request.set_reason(args_.Get("reason"));
  v1::RetireDeviceResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->RetireDevice(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat("Device ", response.device().device_id(), " (",
                        response.device().hostname(),
                        ") retired; its calls are refused and its tunnel "
                        "address is released.\n");
  });
  return 0;
}

int Ctl::DeviceHistory() {
  if (args_.positional.size() != 3) return Usage();
  v1::GetDeviceHistoryRequest request;
  request.set_device_id(args_.positional[2]);
  v1::GetDeviceHistoryResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->GetDeviceHistory(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    TablePrinter t({"TIME (UTC)", "FROM", "TO", "CAUSE"});
    for (const auto& tr : response.transitions()) {
      t.AddRow({absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                 absl::FromUnixSeconds(tr.time().seconds()),
                                 absl::UTCTimeZone()),
                ComplianceWord(tr.from_state()), ComplianceWord(tr.to_state()),
                tr.cause()});
    }
    return t.Render();
  });
  return 0;
}

int Ctl::ExceptionAdd() {
  if (args_.positional.size() != 4 || !args_.Has("until") ||
      !args_.Has("reason")) {
    return Usage();
  }
  const std::string& check = args_.positional[3];
  size_t slash = check.find('/');
  if (slash == std::string::npos) {
    err_ << "trellisctl: the check is POLICY/CHECK, e.g. "
            "ncsc-device-baseline/disk-encrypted\n";
    return 2;
  }
  absl::Time until;
  std::string text = args_.Get("until");
  std::string parse_error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &until, &parse_error)) {
    auto d = ParseHumanDuration(text);
    if (!d.ok()) {
      err_ << "trellisctl: --until takes a duration (7d) or an RFC 3339 time\n";
      return 2;
    }
    until = absl::Now() + *d;
  }
  v1::AddExceptionRequest request;
  request.set_device_id(args_.positional[2]);
  request.set_policy_id(check.substr(0, slash));
  request.set_check_id(check.substr(slash + 1));
  request.mutable_until()->set_seconds(absl::ToUnixSeconds(until));
  request.set_reason(args_.Get("reason"));
  v1::AddExceptionResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->AddException(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    return absl::StrCat("Exception ", response.exception().exception_id(),
                        " added until ", When(response.exception().until()),
                        " UTC.\n");
  });
  return 0;
}

int Ctl::ExceptionList() {
  v1::ListExceptionsRequest request;
  if (args_.positional.size() == 3) request.set_device_id(args_.positional[2]);
  request.set_include_expired(args_.Has("all"));
  v1::ListExceptionsResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->ListExceptions(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    TablePrinter t(
        {"ID", "DEVICE", "CHECK", "UNTIL (UTC)", "ACTIVE", "BY", "REASON"});
    for (const auto& e : response.exceptions()) {
      t.AddRow({absl::StrCat(e.exception_id()), e.device_id(),
                absl::StrCat(e.policy_id(), "/", e.check_id()), When(e.until()),
                e.active() ? "yes" : "no", e.created_by(), e.reason()});
    }
    return t.Render();
  });
  return 0;
}

int Ctl::ExceptionRemove() {
  if (args_.positional.size() != 3) return Usage();
  int64_t id;
  if (!absl::SimpleAtoi(args_.positional[2], &id)) {
    err_ << "trellisctl: EXCEPTION_ID is a number (see exception list)\n";
    return 2;
  }
  v1::RemoveExceptionRequest request;
  request.set_exception_id(id);
  v1::RemoveExceptionResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->RemoveException(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] { return absl::StrCat("Exception ", id, " ended.\n"); });
  return 0;
}

int Ctl::AuditList() {
  auto after = args_.GetInt("after", 0);
  auto limit = args_.GetInt("limit", 100);
  if (!after.ok() || !limit.ok()) {
    err_ << "trellisctl: --after and --limit take whole numbers\n";
    return 2;
  }
  v1::ListAuditEventsRequest request;
  request.set_after_sequence(static_cast<uint64_t>(*after));
  request.set_limit(static_cast<int32_t>(*limit));
  v1::ListAuditEventsResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->ListAuditEvents(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    TablePrinter t(
        {"SEQ", "TIME (UTC)", "ACTOR", "ACTION", "TARGET", "DETAILS"});
    for (const auto& e : response.events()) {
      t.AddRow({absl::StrCat(e.sequence()),
                absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                 absl::FromUnixSeconds(e.time().seconds()),
                                 absl::UTCTimeZone()),
                e.actor(), e.action(), e.target(), e.details_json()});
    }
    return t.Render();
  });
  return 0;
}

int Ctl::AuditVerify() {
  v1::VerifyAuditChainRequest request;
  v1::VerifyAuditChainResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->VerifyAuditChain(&context, request, &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] { return FormatAuditVerdict(response); });
  return response.intact() ? 0 : 1;
}

int Ctl::FactsReference() {
  out_ << facts::RenderFactsReference();
  return 0;
}

int Ctl::PolicyValidate() {
  if (args_.positional.size() != 3) return Usage();
  auto set = policy::LoadPolicySet(args_.positional[2]);
  if (!set.ok()) {
    err_ << set.status().message() << "\n";
    return 1;
  }
  int checks = 0;
  for (const auto& p : set->policies) checks += p.checks_size();
  out_ << args_.positional[2] << ": " << set->policies.size() << " policies, "
       << checks << " checks, " << set->vpn_profiles.size()
       << " VPN profile(s), all valid\n";
  return 0;
}

std::string ChangeWord(v1::PolicyPlanEntry::Change c) {
  switch (c) {
    case v1::PolicyPlanEntry::CHANGE_ADDED:
      return "+ add    ";
    case v1::PolicyPlanEntry::CHANGE_CHANGED:
      return "~ change ";
    case v1::PolicyPlanEntry::CHANGE_REMOVED:
      return "- remove ";
    default:
      return "  keep   ";
  }
}

// "policy/check", "policy (policy)" or "profile (vpn profile)".
std::string PlanSubject(const v1::PolicyPlanEntry& e) {
  if (!e.vpn_profile_id().empty()) {
    return absl::StrCat(e.vpn_profile_id(), " (vpn profile)");
  }
  return absl::StrCat(e.policy_id(),
                      e.check_id().empty() ? " (policy)" : "/" + e.check_id());
}

int Ctl::PolicyApply() {
  if (args_.positional.size() != 3) return Usage();
  auto set = policy::LoadPolicySet(args_.positional[2]);
  if (!set.ok()) {
    err_ << set.status().message() << "\n";
    return 1;
  }
  v1::PublishPoliciesRequest request;
  for (auto& p : set->policies) *request.add_policies() = std::move(p);
  for (auto& p : set->vpn_profiles) *request.add_vpn_profiles() = std::move(p);
  // Always plan first; publish only after showing it.
  request.set_dry_run(true);
  v1::PublishPoliciesResponse plan;
  {
    grpc::ClientContext context;
    Prepare(&context);
    grpc::Status s = stub_->PublishPolicies(&context, request, &plan);
    if (!s.ok()) return Refused(s);
  }
  bool changes = false;
  std::string text = absl::StrCat("Plan against bundle version ",
                                  plan.previous_version(), ":\n");
  for (const auto& e : plan.plan()) {
    if (e.change() != v1::PolicyPlanEntry::CHANGE_UNCHANGED) changes = true;
    absl::StrAppend(&text, "  ", ChangeWord(e.change()), PlanSubject(e), "\n");
  }
  if (!json_) out_ << text;
  if (args_.Has("dry-run") || !changes) {
    if (json_) out_ << ToJsonText(plan);
    if (!json_)
      out_ << (changes ? "Dry run: nothing published.\n"
                       : "No changes: nothing to publish.\n");
    return 0;
  }
  request.set_dry_run(false);
  v1::PublishPoliciesResponse published;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->PublishPolicies(&context, request, &published);
  if (!s.ok()) return Refused(s);
  Print(published, [&] {
    return absl::StrCat("Published bundle version ",
                        published.published_version(), ".\n");
  });
  return 0;
}

int Ctl::PolicyShow() {
  v1::GetPolicyBundleResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s =
      stub_->GetPolicyBundle(&context, v1::GetPolicyBundleRequest(), &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    const auto& b = response.bundle();
    std::string out =
        absl::StrCat("Bundle version ", b.version(), ", published ",
                     When(b.published_at()), " UTC by ", b.published_by(),
                     ", signed by ", response.signing_key_id(), "\n");
    TablePrinter t(
        {"POLICY", "CHECK", "SEVERITY", "ENFORCEMENT", "GRACE", "TITLE"});
    for (const auto& p : b.policies()) {
      for (const auto& c : p.checks()) {
        t.AddRow(
            {p.id(), c.id(),
             EnumWord(v1::Severity_Name(c.severity()), "SEVERITY_"),
             EnumWord(v1::Enforcement_Name(p.enforcement()), "ENFORCEMENT_"),
             absl::StrCat(c.grace_period_seconds() / 3600, "h"), c.title()});
      }
    }
    out += t.Render();
    for (const auto& profile : b.vpn_profiles()) {
      absl::StrAppend(&out, "\n", policy::DescribeVpnProfile(profile));
    }
    if (b.vpn_profiles().empty()) out += "\nNo VPN profiles.\n";
    return out;
  });
  return 0;
}

std::string Rate(const v1::PassRate& r) {
  int decided = r.passing() + r.failing() + r.erroring();
  std::string pct =
      decided == 0 ? "-" : absl::StrCat(100 * r.passing() / decided, "%");
  return pct;
}

int Ctl::ComplianceSummary() {
  v1::GetComplianceSummaryResponse response;
  grpc::ClientContext context;
  Prepare(&context);
  grpc::Status s = stub_->GetComplianceSummary(
      &context, v1::GetComplianceSummaryRequest(), &response);
  if (!s.ok()) return Refused(s);
  Print(response, [&] {
    std::string out =
        absl::StrCat("Bundle version ", response.bundle_version(), ": ",
                     response.compliant_devices(), " of ", response.devices(),
                     " evaluated devices compliant\n");
    auto section =
        [&](const char* title,
            const google::protobuf::RepeatedPtrField<v1::PassRate>& rows) {
          TablePrinter t({title, "PASS RATE", "PASS", "FAIL", "ERROR", "N/A"});
          for (const auto& r : rows) {
            t.AddRow({r.key(), Rate(r), absl::StrCat(r.passing()),
                      absl::StrCat(r.failing()), absl::StrCat(r.erroring()),
                      absl::StrCat(r.not_applicable())});
          }
          absl::StrAppend(&out, "\n", t.Render());
        };
    section("POLICY", response.by_policy());
    section("CHECK", response.by_check());
    section("PLATFORM", response.by_platform());
    section("GROUP", response.by_group());
    return out;
  });
  return 0;
}

int Ctl::Run(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(
      argv, {{"credentials", "server", "group", "ownership", "uses", "ttl",
              "description", "reason", "limit", "after", "until"},
             {"json", "all", "help", "dry-run"}});
  if (!parsed.ok()) {
    err_ << "trellisctl: " << parsed.status().message() << "\n";
    return 2;
  }
  args_ = *std::move(parsed);
  json_ = args_.Has("json");
  const auto& p = args_.positional;
  if (args_.Has("help") || p.empty()) return Usage();
  using Handler = int (Ctl::*)();
  static const std::map<std::pair<std::string, std::string>, Handler>
      kCommands = {
          {{"whoami", ""}, &Ctl::WhoAmI},
          {{"token", "create"}, &Ctl::TokenCreate},
          {{"token", "list"}, &Ctl::TokenList},
          {{"token", "revoke"}, &Ctl::TokenRevoke},
          {{"device", "list"}, &Ctl::DeviceList},
          {{"device", "show"}, &Ctl::DeviceShow},
          {{"device", "revoke"}, &Ctl::DeviceRevoke},
          {{"device", "retire"}, &Ctl::DeviceRetire},
          {{"device", "history"}, &Ctl::DeviceHistory},
          {{"exception", "add"}, &Ctl::ExceptionAdd},
          {{"exception", "list"}, &Ctl::ExceptionList},
          {{"exception", "remove"}, &Ctl::ExceptionRemove},
          {{"audit", "list"}, &Ctl::AuditList},
          {{"audit", "verify"}, &Ctl::AuditVerify},
          {{"policy", "validate"}, &Ctl::PolicyValidate},
          {{"policy", "apply"}, &Ctl::PolicyApply},
          {{"policy", "show"}, &Ctl::PolicyShow},
          {{"compliance", "summary"}, &Ctl::ComplianceSummary},
          {{"facts", "reference"}, &Ctl::FactsReference},
      };
  auto it =
      kCommands.find({p[0], p.size() > 1 && p[0] != "whoami" ? p[1] : ""});
  if (it == kCommands.end()) {
    err_ << "trellisctl: unknown command '" << p[0]
         << (p.size() > 1 ? " " + p[1] : "") << "'\n";
    return Usage();
  }
  // Offline commands need no server.
  bool offline =
      it->second == &Ctl::PolicyValidate || it->second == &Ctl::FactsReference;
  if (!offline && !Connect()) return 1;
  return (this->*(it->second))();
}

}  // namespace

int RunCtl(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  Ctl ctl(out, err);
  return ctl.Run(args);
}

}  // namespace trellis::ctl
