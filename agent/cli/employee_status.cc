#include "agent/cli/employee_status.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/vpn/vpn_status_file.h"
#include "common/util/files.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "trellis/v1/device_service.pb.h"

namespace trellis::agent {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Bumped when a field changes meaning; readers refuse a newer format.
constexpr int kFormat = 1;

std::string StateName(const std::string& enum_name, absl::string_view prefix) {
  absl::string_view name = enum_name;
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

CheckLine LineFrom(const v1::CheckResult& r) {
  CheckLine line;
  line.policy_id = r.policy_id();
  line.check_id = r.check_id();
  line.title = r.title();
  line.state = StateName(v1::CheckState_Name(r.state()), "CHECK_STATE_");
  line.remediation = r.remediation();
  line.error = r.error();
  if (r.has_excepted_until()) {
    line.excepted_until = FromProtoTime(r.excepted_until());
    line.exception_reason = r.exception_reason();
  }
  return line;
}

// Every field of the status file, for writing and reading alike: `v` is a
// Writer or a Reader, `L`/`S` the (const) struct.
template <typename L, typename V>
void VisitLine(L& line, V& v) {
  v.Text("policy_id", line.policy_id);
  v.Text("check_id", line.check_id);
  v.Text("title", line.title);
  v.Text("state", line.state);
  v.Text("remediation", line.remediation);
  v.Text("error", line.error);
  v.Time("excepted_until", line.excepted_until);
  v.Text("exception_reason", line.exception_reason);
}

template <typename S, typename V>
void VisitVpn(S& vpn, V& v) {
  v.Bool("assigned", vpn.assigned);
  v.Text("access", vpn.access);
  v.Text("reason", vpn.reason);
  v.Text("tunnel_address", vpn.tunnel_address);
  v.Text("profile", vpn.profile);
  v.Text("tunnel", vpn.tunnel);
  v.Text("tunnel_reason", vpn.plan_reason);
  v.Text("trusted_network", vpn.trusted_network);
  v.Text("trusted_detail", vpn.trusted_detail);
  v.Text("problem", vpn.problem);
  v.Text("notes", vpn.notes);
}

template <typename S, typename V>
void VisitStatus(S& status, V& v) {
  v.Text("server", status.server);
  v.Text("device_id", status.device_id);
  v.Text("group", status.group);
  v.Text("ownership", status.ownership);
  v.Time("enrolled_at", status.enrolled_at);
  v.Text("compliance_state", status.compliance_state);
  v.Time("grace_deadline", status.grace_deadline);
  v.Time("last_checkin_at", status.last_checkin_at);
  v.Time("last_attempt_at", status.last_attempt_at);
  v.Text("last_checkin_result", status.last_checkin_result);
  v.Lines("failing_checks", status.failing);
  v.Lines("exceptions", status.exceptions);
  v.Vpn("vpn", status.vpn);
  v.Time("written_at", status.written_at);
}

class Writer {
 public:
  explicit Writer(Struct& s) : s_(s) {}
  void Text(const char* key, const std::string& value) {
    Field(key).set_string_value(value);
  }
  void Time(const char* key, const std::optional<absl::Time>& t) {
    if (t) Text(key, Rfc3339(*t));
  }
  void Bool(const char* key, bool value) { Field(key).set_bool_value(value); }
  void Lines(const char* key, const std::vector<CheckLine>& lines) {
    auto* list = Field(key).mutable_list_value();
    for (const CheckLine& line : lines) {
      Writer w(*list->add_values()->mutable_struct_value());
      VisitLine(line, w);
    }
  }
  void Vpn(const char* key, const VpnView& vpn) {
    Writer w(*Field(key).mutable_struct_value());
    VisitVpn(vpn, w);
  }

 private:
  Value& Field(const char* key) { return (*s_.mutable_fields())[key]; }
  Struct& s_;
};

// Reads what Writer wrote; a missing field keeps its default, a field of
// the wrong kind is an error naming it (the first one is kept).
class Reader {
 public:
  Reader(const Struct& s, std::string where, absl::Status* status)
      : s_(s), where_(std::move(where)), status_(status) {}

  void Text(const char* key, std::string& out) {
    if (const Value* v = Field(key)) {
      if (v->has_string_value()) {
        out = v->string_value();
      } else {
        Bad(key, "is not a string");
      }
    }
  }
  void Time(const char* key, std::optional<absl::Time>& out) {
    std::string text;
    Text(key, text);
    if (text.empty()) return;
    absl::Time t;
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
      Bad(key, absl::StrCat("is not an RFC 3339 time: '", text, "'"));
      return;
    }
    out = t;
  }
  void Bool(const char* key, bool& out) {
    if (const Value* v = Field(key)) {
      if (v->has_bool_value()) {
        out = v->bool_value();
      } else {
        Bad(key, "is not true or false");
      }
    }
  }
  void Lines(const char* key, std::vector<CheckLine>& out) {
    const Value* v = Field(key);
    if (v == nullptr) return;
    if (!v->has_list_value()) return Bad(key, "is not a list");
    for (const Value& item : v->list_value().values()) {
      if (!item.has_struct_value()) return Bad(key, "holds a non-object");
      Reader r(item.struct_value(), absl::StrCat(where_, key, "[]."), status_);
      VisitLine(out.emplace_back(), r);
    }
  }
  void Vpn(const char* key, VpnView& out) {
    const Value* v = Field(key);
    if (v == nullptr) return;
    if (!v->has_struct_value()) return Bad(key, "is not an object");
    Reader r(v->struct_value(), absl::StrCat(where_, key, "."), status_);
    VisitVpn(out, r);
  }

 private:
  const Value* Field(const char* key) const {
    auto it = s_.fields().find(key);
    return it == s_.fields().end() ? nullptr : &it->second;
  }
  void Bad(const char* key, const std::string& what) {
    if (status_->ok()) {
      *status_ = absl::DataLossError(
          absl::StrCat("status file: ", where_, key, " ", what));
    }
  }

  const Struct& s_;
  std::string where_;  // "vpn." for nested fields
  absl::Status* status_;
};

}  // namespace

FileReader RealFileReader() {
  return [](const std::string& path) { return ReadFile(path); };
}

std::string WhenText(std::optional<absl::Time> t) {
  if (!t) return "never";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", *t, absl::UTCTimeZone());
}

absl::StatusOr<EmployeeStatus> BuildEmployeeStatus(const AgentState& state,
                                                   const FileReader& read) {
  auto record_text = read(state.RecordPath());
  if (!record_text.ok()) return record_text.status();
  auto record = ParseRecord(*record_text);
  if (!record.ok()) return record.status();
  EmployeeStatus status;
  status.server = record->server_address;
  status.device_id = record->device_id;
  status.group = record->group;
  status.ownership = record->ownership;
  status.enrolled_at = record->enrolled_at;
  status.last_checkin_at = record->last_checkin_at;
  status.last_attempt_at = record->last_attempt_at;
  status.last_checkin_result = record->last_checkin_result;

  v1::CheckInResponse last;
  auto last_bytes = read(state.LastCheckInPath());
  const bool have_last = last_bytes.ok() && last.ParseFromString(*last_bytes);
  if (have_last) {
    if (last.compliance_state() != v1::COMPLIANCE_STATE_UNSPECIFIED) {
      status.compliance_state =
          StateName(v1::ComplianceState_Name(last.compliance_state()),
                    "COMPLIANCE_STATE_");
    }
    if (last.has_grace_deadline()) {
      status.grace_deadline = FromProtoTime(last.grace_deadline());
    }
    for (const v1::CheckResult& r : last.verdict().results()) {
      if (r.state() == v1::CHECK_STATE_FAIL ||
          r.state() == v1::CHECK_STATE_ERROR) {
        status.failing.push_back(LineFrom(r));
      }
      if (r.has_excepted_until()) status.exceptions.push_back(LineFrom(r));
    }
  }
  std::optional<VpnStatusRecord> vpn_record;
  auto vpn_text = read(VpnStatusPath(state));
  if (vpn_text.ok()) vpn_record = ParseVpnStatus(*vpn_text);
  status.vpn = VpnViewFrom(have_last ? &last : nullptr,
                           vpn_record ? &*vpn_record : nullptr);
  return status;
}

std::string EmployeeStatusJson(const EmployeeStatus& status) {
  Struct s;
  (*s.mutable_fields())["format"].set_number_value(kFormat);
  Writer writer(s);
  VisitStatus(status, writer);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(s, &out, options).ok()) {
    return "{}\n";
  }
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

absl::StatusOr<EmployeeStatus> ParseEmployeeStatusJson(
    const std::string& text) {
  Struct s;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, &s);
  if (!parsed.ok()) {
    return absl::DataLossError(absl::StrCat(
        "status file is not a JSON object: ",
        std::string(parsed.message().data(), parsed.message().size())));
  }
  auto format = s.fields().find("format");
  if (format == s.fields().end() || !format->second.has_number_value() ||
      format->second.number_value() != kFormat) {
    return absl::DataLossError(
        absl::StrCat("status file has no format or one other than ", kFormat,
                     " (written by a different agent version?)"));
  }
  EmployeeStatus status;
  absl::Status problem;
  Reader reader(s, "", &problem);
  VisitStatus(status, reader);
  if (!problem.ok()) return problem;
  if (status.server.empty() || status.device_id.empty()) {
    return absl::DataLossError("status file lacks server or device_id");
  }
  return status;
}

std::string ExceptionNote(const CheckLine& line, absl::Time now) {
  if (!line.excepted_until || *line.excepted_until <= now) return "";
  return absl::StrCat(
      "excepted until ", WhenText(line.excepted_until),
      line.exception_reason.empty() ? "" : ": " + line.exception_reason);
}

const CheckLine* FindException(const EmployeeStatus& status,
                               const std::string& policy_id,
                               const std::string& check_id, absl::Time now) {
  for (const CheckLine& line : status.exceptions) {
    if (line.policy_id == policy_id && line.check_id == check_id &&
        !ExceptionNote(line, now).empty()) {
      return &line;
    }
  }
  return nullptr;
}

}  // namespace trellis::agent
