#include "server/store/sqlite_rows.h"

namespace trellis::server::sqlite_rows {

DeviceRecord DeviceFromRow(const Statement& s) {
  DeviceRecord d;
  d.device_id = s.Text(0);
  d.key_hash = s.Blob(1);
  d.pending_key_hash = s.Blob(2);
  d.hostname = s.Text(3);
  d.hardware_serial = s.Text(4);
  d.platform = static_cast<v1::Platform>(s.Int(5));
  d.os_name = s.Text(6);
  d.os_version = s.Text(7);
  d.agent_version = s.Text(8);
  d.group = s.Text(9);
  d.ownership = static_cast<v1::Ownership>(s.Int(10));
  d.state = static_cast<v1::DeviceState>(s.Int(11));
  d.enrolled_at = FromDb(s.Int(12));
  d.last_seen_at = OptionalFromDb(s.OptionalInt(13));
  d.clone_of_device_id = s.Text(14);
  d.cert_serial_hex = s.Text(15);
  d.cert_expires_at = FromDb(s.Int(16));
  d.token_id = s.Text(17);
  d.last_sequence = static_cast<uint64_t>(s.Int(18));
  d.facts_hash = s.Blob(19);
  d.revocation_reason = s.Text(20);
  if (!s.IsNull(21)) d.compliant = s.Int(21) != 0;
  d.evaluated_bundle_version = static_cast<uint64_t>(s.Int(22));
  d.compliance_state = static_cast<v1::ComplianceState>(s.Int(23));
  d.grace_deadline = OptionalFromDb(s.OptionalInt(24));
  d.wireguard_public_key = s.Text(25);
  d.vpn_enforcement = static_cast<v1::Enforcement>(s.Int(26));
  return d;
}

void BindDeviceFields(Statement& s, const DeviceRecord& d, int first) {
  int i = first;
  s.BindBlob(i++, d.key_hash)
      .BindBlobOrNull(i++, d.pending_key_hash)
      .Bind(i++, d.hostname)
      .Bind(i++, d.hardware_serial)
      .Bind(i++, static_cast<int64_t>(d.platform))
      .Bind(i++, d.os_name)
      .Bind(i++, d.os_version)
      .Bind(i++, d.agent_version)
      .Bind(i++, d.group)
      .Bind(i++, static_cast<int64_t>(d.ownership))
      .Bind(i++, static_cast<int64_t>(d.state))
      .Bind(i++, ToDb(d.enrolled_at))
      .BindOptional(i++, ToDb(d.last_seen_at))
      .Bind(i++, d.clone_of_device_id)
      .Bind(i++, d.cert_serial_hex)
      .Bind(i++, ToDb(d.cert_expires_at))
      .Bind(i++, d.token_id)
      .Bind(i++, static_cast<int64_t>(d.last_sequence))
      .BindBlobOrNull(i++, d.facts_hash)
      .Bind(i++, d.revocation_reason)
      .BindOptional(i++, d.compliant ? std::optional<int64_t>(*d.compliant)
                                     : std::nullopt)
      .Bind(i++, static_cast<int64_t>(d.evaluated_bundle_version))
      .Bind(i++, static_cast<int64_t>(d.compliance_state))
      .BindOptional(i++, ToDb(d.grace_deadline));
  // NULL, not '', when absent: the unique index skips NULLs only.
  if (d.wireguard_public_key.empty()) {
    s.BindNull(i++);
  } else {
    s.Bind(i++, d.wireguard_public_key);
  }
  s.Bind(i++, static_cast<int64_t>(d.vpn_enforcement));
}

absl::Status ExpectOneChange(SqliteConnection* conn, absl::string_view what) {
  if (sqlite3_changes(conn->raw()) != 1) {
    return absl::NotFoundError(absl::StrCat(what, " does not exist"));
  }
  return absl::OkStatus();
}

}  // namespace trellis::server::sqlite_rows
