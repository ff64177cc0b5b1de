#include "server/store/sqlite_queries.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/store/sqlite_rows.h"

namespace trellis::server {
namespace {

using sqlite_rows::BindDeviceFields;
using sqlite_rows::CollectRows;
using sqlite_rows::DeviceFromRow;
using sqlite_rows::ExpectOneChange;
using sqlite_rows::FirstRow;
using sqlite_rows::FromDb;
using sqlite_rows::kDeviceColumns;
using sqlite_rows::OptionalFromDb;
using sqlite_rows::ToDb;

constexpr char kTokenColumns[] =
    "token_id, secret_hash, grp, ownership, max_uses, uses, created_at, "
    "expires_at, created_by, revoked_at, description";

TokenRecord TokenFromRow(const Statement& s) {
  TokenRecord t;
  t.token_id = s.Text(0);
  t.secret_hash = s.Blob(1);
  t.group = s.Text(2);
  t.ownership = static_cast<v1::Ownership>(s.Int(3));
  t.max_uses = static_cast<int>(s.Int(4));
  t.uses = static_cast<int>(s.Int(5));
  t.created_at = FromDb(s.Int(6));
  t.expires_at = FromDb(s.Int(7));
  t.created_by = s.Text(8);
  t.revoked_at = OptionalFromDb(s.OptionalInt(9));
  t.description = s.Text(10);
  return t;
}

constexpr char kOperatorColumns[] =
    "name, role, key_hash, created_at, created_by, cert_expires_at";

OperatorRecord OperatorFromRow(const Statement& s) {
  OperatorRecord o;
  o.name = s.Text(0);
  o.role = static_cast<v1::Role>(s.Int(1));
  o.key_hash = s.Blob(2);
  o.created_at = FromDb(s.Int(3));
  o.created_by = s.Text(4);
  o.cert_expires_at = FromDb(s.Int(5));
  return o;
}

}  // namespace

absl::StatusOr<std::optional<TokenRecord>> SqliteQueries::GetToken(
    absl::string_view token_id) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kTokenColumns, " FROM enrollment_tokens WHERE token_id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, token_id);
  return FirstRow<TokenRecord>(*stmt, TokenFromRow);
}

absl::StatusOr<std::vector<TokenRecord>> SqliteQueries::ListTokens() {
  auto stmt = conn_->Prepare(absl::StrCat("SELECT ", kTokenColumns,
                                          " FROM enrollment_tokens ORDER BY "
                                          "created_at DESC, token_id"));
  if (!stmt.ok()) return stmt.status();
  return CollectRows<TokenRecord>(*stmt, TokenFromRow);
}

absl::StatusOr<std::optional<DeviceRecord>> SqliteQueries::GetDevice(
    absl::string_view device_id) {
  auto stmt = conn_->Prepare(absl::StrCat("SELECT ", kDeviceColumns,
                                          " FROM devices WHERE device_id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return FirstRow<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<std::optional<DeviceRecord>> SqliteQueries::FindDeviceByKeyHash(
    absl::string_view key_hash) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kDeviceColumns,
      " FROM devices WHERE key_hash = ?1 OR pending_key_hash = ?1"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindBlob(1, key_hash);
  return FirstRow<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<std::vector<DeviceRecord>> SqliteQueries::FindDevicesBySerial(
    absl::string_view hardware_serial) {
  auto stmt = conn_->Prepare(
      absl::StrCat("SELECT ", kDeviceColumns,
                   " FROM devices WHERE hardware_serial = ? AND "
                   "hardware_serial != '' ORDER BY enrolled_at, device_id"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, hardware_serial);
  return CollectRows<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<std::vector<DeviceRecord>> SqliteQueries::ListDevices(
    absl::string_view after_device_id, int limit) {
  // Keyset pagination on (enrolled_at DESC, device_id): stable while devices
  // enrol during a listing.
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kDeviceColumns,
      " FROM devices d WHERE ?1 = '' OR EXISTS (SELECT 1 FROM devices c"
      " WHERE c.device_id = ?1 AND (d.enrolled_at < c.enrolled_at OR"
      " (d.enrolled_at = c.enrolled_at AND d.device_id > c.device_id)))"
      " ORDER BY d.enrolled_at DESC, d.device_id LIMIT ?2"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_device_id).Bind(2, static_cast<int64_t>(limit));
  return CollectRows<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<std::optional<std::string>> SqliteQueries::GetLastReport(
    absl::string_view device_id) {
  auto stmt =
      conn_->Prepare("SELECT report FROM device_reports WHERE device_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return FirstRow<std::string>(*stmt,
                               [](const Statement& s) { return s.Blob(0); });
}

absl::StatusOr<std::vector<DeviceReportRecord>>
SqliteQueries::ListRecentReports(int limit) {
  // Walks devices_by_last_seen newest first; reports are read only for the
  // devices returned.
  auto stmt = conn_->Prepare(
      absl::StrCat("SELECT ", kDeviceColumns,
                   ", report FROM devices JOIN device_reports USING (device_id)"
                   " WHERE state = ?1 ORDER BY last_seen_at DESC LIMIT ?2"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(v1::DEVICE_STATE_ACTIVE))
      .Bind(2, static_cast<int64_t>(limit));
  const int report_column =
      static_cast<int>(std::count(
          kDeviceColumns, kDeviceColumns + sizeof(kDeviceColumns) - 1, ',')) +
      1;
  return CollectRows<DeviceReportRecord>(*stmt, [&](const Statement& s) {
    return DeviceReportRecord{DeviceFromRow(s), s.Blob(report_column)};
  });
}

absl::StatusOr<std::optional<OperatorRecord>> SqliteQueries::GetOperator(
    absl::string_view name) {
  auto stmt = conn_->Prepare(absl::StrCat("SELECT ", kOperatorColumns,
                                          " FROM operators WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  return FirstRow<OperatorRecord>(*stmt, OperatorFromRow);
}

absl::StatusOr<std::optional<OperatorRecord>>
SqliteQueries::FindOperatorByKeyHash(absl::string_view key_hash) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kOperatorColumns, " FROM operators WHERE key_hash = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindBlob(1, key_hash);
  return FirstRow<OperatorRecord>(*stmt, OperatorFromRow);
}

absl::StatusOr<std::vector<AuditRecord>> SqliteQueries::ListAudit(
    uint64_t after_sequence, int limit) {
  auto stmt = conn_->Prepare(
      "SELECT seq, time, actor, action, target, details, prev_hash, hash "
      "FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(after_sequence))
      .Bind(2, static_cast<int64_t>(limit));
  return CollectRows<AuditRecord>(*stmt, [](const Statement& s) {
    AuditRecord a;
    a.sequence = static_cast<uint64_t>(s.Int(0));
    a.time = FromDb(s.Int(1));
    a.actor = s.Text(2);
    a.action = s.Text(3);
    a.target = s.Text(4);
    a.details_json = s.Text(5);
    a.previous_hash = s.Blob(6);
    a.hash = s.Blob(7);
    return a;
  });
}

absl::Status SqliteQueries::InsertToken(const TokenRecord& t) {
  auto stmt = conn_->Prepare(absl::StrCat("INSERT INTO enrollment_tokens (",
                                          kTokenColumns,
                                          ") VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, t.token_id)
      .BindBlob(2, t.secret_hash)
      .Bind(3, t.group)
      .Bind(4, static_cast<int64_t>(t.ownership))
      .Bind(5, static_cast<int64_t>(t.max_uses))
      .Bind(6, static_cast<int64_t>(t.uses))
      .Bind(7, ToDb(t.created_at))
      .Bind(8, ToDb(t.expires_at))
      .Bind(9, t.created_by)
      .BindOptional(10, ToDb(t.revoked_at))
      .Bind(11, t.description);
  return stmt->Run();
}

absl::Status SqliteQueries::UpdateToken(const TokenRecord& t) {
  auto stmt = conn_->Prepare(
      "UPDATE enrollment_tokens SET uses = ?, revoked_at = ? "
      "WHERE token_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(t.uses))
      .BindOptional(2, ToDb(t.revoked_at))
      .Bind(3, t.token_id);
  absl::Status s = stmt->Run();
  if (!s.ok()) return s;
  return ExpectOneChange(conn_, absl::StrCat("token ", t.token_id));
}

absl::Status SqliteQueries::InsertDevice(const DeviceRecord& d) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "INSERT INTO devices (", kDeviceColumns,
      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, d.device_id);
  BindDeviceFields(*stmt, d, 2);
  absl::Status s = stmt->Run();
  if (s.ok() && events_ != nullptr) events_->devices[d.device_id] = d.state;
  return s;
}

absl::Status SqliteQueries::UpdateDevice(const DeviceRecord& d) {
  auto stmt = conn_->Prepare(
      "UPDATE devices SET key_hash=?2, pending_key_hash=?3, hostname=?4, "
      "hardware_serial=?5, platform=?6, os_name=?7, os_version=?8, "
      "agent_version=?9, grp=?10, ownership=?11, state=?12, enrolled_at=?13, "
      "last_seen_at=?14, clone_of=?15, cert_serial=?16, cert_expires_at=?17, "
      "token_id=?18, last_sequence=?19, facts_hash=?20, "
      "revocation_reason=?21, compliant=?22, evaluated_bundle_version=?23, "
      "compliance_state=?24, grace_deadline=?25, wg_public_key=?26, "
      "vpn_enforcement=?27 WHERE device_id=?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, d.device_id);
  BindDeviceFields(*stmt, d, 2);
  absl::Status s = stmt->Run();
  if (!s.ok()) return s;
  s = ExpectOneChange(conn_, absl::StrCat("device ", d.device_id));
  if (s.ok() && events_ != nullptr) events_->devices[d.device_id] = d.state;
  return s;
}

absl::Status SqliteQueries::PutLastReport(absl::string_view device_id,
                                          uint64_t sequence,
                                          absl::Time received_at,
                                          const std::string& report) {
  auto stmt = conn_->Prepare(
      "INSERT INTO device_reports (device_id, seq, received_at, report) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(device_id) DO UPDATE SET "
      "seq = ?2, received_at = ?3, report = ?4");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id)
      .Bind(2, static_cast<int64_t>(sequence))
      .Bind(3, ToDb(received_at))
      .BindBlob(4, report);
  return stmt->Run();
}

absl::Status SqliteQueries::UpsertOperator(const OperatorRecord& o) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "INSERT INTO operators (", kOperatorColumns,
      ") VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(name) DO UPDATE SET "
      "role=?2, key_hash=?3, created_at=?4, created_by=?5, "
      "cert_expires_at=?6"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, o.name)
      .Bind(2, static_cast<int64_t>(o.role))
      .BindBlob(3, o.key_hash)
      .Bind(4, ToDb(o.created_at))
      .Bind(5, o.created_by)
      .Bind(6, ToDb(o.cert_expires_at));
  absl::Status s = stmt->Run();
  if (s.ok() && events_ != nullptr) {
    CommitEvents changed;
    changed.operators.push_back(o.name);
    events_->MergeFrom(changed);
  }
  return s;
}

absl::StatusOr<std::optional<AuditHead>> SqliteQueries::GetAuditHead() {
  auto stmt = conn_->Prepare(
      "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  return FirstRow<AuditHead>(*stmt, [](const Statement& s) {
    AuditHead head;
    head.sequence = static_cast<uint64_t>(s.Int(0));
    head.hash = s.Blob(1);
    return head;
  });
}

absl::Status SqliteQueries::InsertAuditEntry(const AuditRecord& entry) {
  auto stmt = conn_->Prepare(
      "INSERT INTO audit_log (seq, time, actor, action, target, details, "
      "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(entry.sequence))
      .Bind(2, ToDb(entry.time))
      .Bind(3, entry.actor)
      .Bind(4, entry.action)
      .Bind(5, entry.target)
      .Bind(6, entry.details_json)
      .BindBlob(7, entry.previous_hash)
      .BindBlob(8, entry.hash);
  return stmt->Run();
}

absl::StatusOr<std::optional<PolicyBundleRecord>>
SqliteQueries::GetLatestPolicyBundle() {
  auto stmt = conn_->Prepare(
      "SELECT version, published_at, published_by, signed FROM "
      "policy_bundles ORDER BY version DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  return FirstRow<PolicyBundleRecord>(*stmt, [](const Statement& s) {
    PolicyBundleRecord b;
    b.version = static_cast<uint64_t>(s.Int(0));
    b.published_at = FromDb(s.Int(1));
    b.published_by = s.Text(2);
    b.signed_bundle = s.Blob(3);
    return b;
  });
}

absl::Status SqliteQueries::InsertPolicyBundle(const PolicyBundleRecord& b) {
  auto stmt = conn_->Prepare(
      "INSERT INTO policy_bundles (version, published_at, published_by, "
      "signed) VALUES (?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(b.version))
      .Bind(2, ToDb(b.published_at))
      .Bind(3, b.published_by)
      .BindBlob(4, b.signed_bundle);
  absl::Status s = stmt->Run();
  if (s.ok() && events_ != nullptr) {
    events_->bundle_version = std::max(events_->bundle_version, b.version);
  }
  return s;
}

namespace {
constexpr char kCheckStateColumns[] =
    "device_id, policy_id, check_id, state, since, detail, error";

CheckStateRecord CheckStateFromRow(const Statement& s) {
  CheckStateRecord c;
  c.device_id = s.Text(0);
  c.policy_id = s.Text(1);
  c.check_id = s.Text(2);
  c.state = static_cast<int>(s.Int(3));
  c.since = FromDb(s.Int(4));
  c.detail = s.Text(5);
  c.error = s.Text(6);
  return c;
}
}  // namespace

absl::StatusOr<std::vector<CheckStateRecord>> SqliteQueries::GetCheckStates(
    absl::string_view device_id) {
  auto stmt = conn_->Prepare(
      absl::StrCat("SELECT ", kCheckStateColumns,
                   " FROM device_check_states WHERE device_id = ? ORDER BY "
                   "policy_id, check_id"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return CollectRows<CheckStateRecord>(*stmt, CheckStateFromRow);
}

absl::StatusOr<std::vector<CheckStateRecord>>
SqliteQueries::ListActiveCheckStates() {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT c.device_id, c.policy_id, c.check_id, c.state, c.since, "
      "c.detail, c.error FROM device_check_states c JOIN devices d "
      "USING (device_id) WHERE d.state = ",
      static_cast<int>(v1::DEVICE_STATE_ACTIVE)));
  if (!stmt.ok()) return stmt.status();
  return CollectRows<CheckStateRecord>(*stmt, CheckStateFromRow);
}

absl::Status SqliteQueries::ReplaceCheckStates(
    absl::string_view device_id, const std::vector<CheckStateRecord>& states) {
  auto del =
      conn_->Prepare("DELETE FROM device_check_states WHERE device_id = ?");
  if (!del.ok()) return del.status();
  del->Bind(1, device_id);
  absl::Status s = del->Run();
  if (!s.ok()) return s;
  for (const CheckStateRecord& c : states) {
    auto ins = conn_->Prepare(absl::StrCat("INSERT INTO device_check_states (",
                                           kCheckStateColumns,
                                           ") VALUES (?,?,?,?,?,?,?)"));
    if (!ins.ok()) return ins.status();
    ins->Bind(1, device_id)
        .Bind(2, c.policy_id)
        .Bind(3, c.check_id)
        .Bind(4, static_cast<int64_t>(c.state))
        .Bind(5, ToDb(c.since))
        .Bind(6, c.detail)
        .Bind(7, c.error);
    s = ins->Run();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TransitionRecord>> SqliteQueries::ListTransitions(
    absl::string_view device_id) {
  auto stmt = conn_->Prepare(
      "SELECT device_id, at, from_state, to_state, cause FROM "
      "compliance_transitions WHERE device_id = ? ORDER BY seq");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return CollectRows<TransitionRecord>(*stmt, [](const Statement& s) {
    TransitionRecord t;
    t.device_id = s.Text(0);
    t.at = FromDb(s.Int(1));
    t.from_state = static_cast<v1::ComplianceState>(s.Int(2));
    t.to_state = static_cast<v1::ComplianceState>(s.Int(3));
    t.cause = s.Text(4);
    return t;
  });
}

absl::StatusOr<std::vector<DeviceRecord>> SqliteQueries::ListDevicesDue(
    absl::Time now, absl::Time stale_before) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kDeviceColumns,
      " FROM devices WHERE state = ?1 AND ("
      "(compliance_state = ?2 AND grace_deadline <= ?3) OR "
      "(compliance_state NOT IN (?4, ?5) AND last_seen_at < ?6))"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(v1::DEVICE_STATE_ACTIVE))
      .Bind(2, static_cast<int64_t>(v1::COMPLIANCE_STATE_GRACE))
      .Bind(3, ToDb(now))
      .Bind(4, static_cast<int64_t>(v1::COMPLIANCE_STATE_STALE))
      .Bind(5, static_cast<int64_t>(v1::COMPLIANCE_STATE_UNSPECIFIED))
      .Bind(6, ToDb(stale_before));
  return CollectRows<DeviceRecord>(*stmt, DeviceFromRow);
}

namespace {
constexpr char kExceptionColumns[] =
    "exception_id, device_id, policy_id, check_id, until, reason, "
    "created_by, created_at";

ExceptionRecord ExceptionFromRow(const Statement& s) {
  ExceptionRecord e;
  e.exception_id = s.Int(0);
  e.device_id = s.Text(1);
  e.policy_id = s.Text(2);
  e.check_id = s.Text(3);
  e.until = FromDb(s.Int(4));
  e.reason = s.Text(5);
  e.created_by = s.Text(6);
  e.created_at = FromDb(s.Int(7));
  return e;
}
}  // namespace

absl::StatusOr<std::vector<ExceptionRecord>> SqliteQueries::ListExceptions(
    absl::string_view device_id, absl::Time active_at) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kExceptionColumns,
      " FROM compliance_exceptions WHERE (?1 = '' OR device_id = ?1) AND "
      "until > ?2 ORDER BY exception_id"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id)
      .Bind(2, active_at == absl::InfinitePast() ? INT64_MIN : ToDb(active_at));
  return CollectRows<ExceptionRecord>(*stmt, ExceptionFromRow);
}

absl::StatusOr<std::optional<ExceptionRecord>> SqliteQueries::GetException(
    int64_t exception_id) {
  auto stmt = conn_->Prepare(
      absl::StrCat("SELECT ", kExceptionColumns,
                   " FROM compliance_exceptions WHERE exception_id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, exception_id);
  return FirstRow<ExceptionRecord>(*stmt, ExceptionFromRow);
}

absl::StatusOr<std::vector<std::string>>
SqliteQueries::ListDevicesWithExceptionsEnding(absl::Time after,
                                               absl::Time through) {
  auto stmt = conn_->Prepare(
      "SELECT DISTINCT device_id FROM compliance_exceptions WHERE until > ? "
      "AND until <= ? ORDER BY device_id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after == absl::InfinitePast() ? INT64_MIN : ToDb(after))
      .Bind(2, ToDb(through));
  return CollectRows<std::string>(*stmt,
                                  [](const Statement& s) { return s.Text(0); });
}

absl::StatusOr<int64_t> SqliteQueries::InsertException(
    const ExceptionRecord& e) {
  auto stmt = conn_->Prepare(
      "INSERT INTO compliance_exceptions (device_id, policy_id, check_id, "
      "until, reason, created_by, created_at) VALUES (?,?,?,?,?,?,?)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, e.device_id)
      .Bind(2, e.policy_id)
      .Bind(3, e.check_id)
      .Bind(4, ToDb(e.until))
      .Bind(5, e.reason)
      .Bind(6, e.created_by)
      .Bind(7, ToDb(e.created_at));
  absl::Status s = stmt->Run();
  if (!s.ok()) return s;
  return sqlite3_last_insert_rowid(conn_->raw());
}

absl::Status SqliteQueries::EndException(int64_t exception_id,
                                         absl::Time until) {
  auto stmt = conn_->Prepare(
      "UPDATE compliance_exceptions SET until = ? WHERE exception_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, ToDb(until)).Bind(2, exception_id);
  absl::Status s = stmt->Run();
  if (!s.ok()) return s;
  return ExpectOneChange(conn_, absl::StrCat("exception ", exception_id));
}

absl::Status SqliteQueries::AppendTransition(const TransitionRecord& t) {
  auto stmt = conn_->Prepare(
      "INSERT INTO compliance_transitions (device_id, at, from_state, "
      "to_state, cause) VALUES (?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, t.device_id)
      .Bind(2, ToDb(t.at))
      .Bind(3, static_cast<int64_t>(t.from_state))
      .Bind(4, static_cast<int64_t>(t.to_state))
      .Bind(5, t.cause);
  return stmt->Run();
}

}  // namespace trellis::server
