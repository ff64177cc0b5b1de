// SqliteQueries: tunnel addresses, the gateway allow-list and its change
// log (see migration 6).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/store/sqlite_queries.h"
#include "server/store/sqlite_rows.h"

namespace trellis::server {
namespace {

using sqlite_rows::CollectRows;
using sqlite_rows::DeviceFromRow;
using sqlite_rows::FirstRow;
using sqlite_rows::FromDb;
using sqlite_rows::kDeviceColumns;
using sqlite_rows::ToDb;

constexpr char kPeerColumns[] =
    "serial, device_id, public_key, access, allowed_ips, permitted";

VpnPeerRecord PeerFromRow(const Statement& s) {
  VpnPeerRecord p;
  p.serial = static_cast<uint64_t>(s.Int(0));
  p.device_id = s.Text(1);
  p.public_key = s.Text(2);
  p.access = static_cast<v1::VpnAccess>(s.Int(3));
  p.allowed_ips = s.Text(4);
  p.permitted = s.Text(5);
  return p;
}

}  // namespace

absl::StatusOr<std::optional<DeviceRecord>>
SqliteQueries::FindDeviceByWireGuardKey(absl::string_view public_key) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kDeviceColumns, " FROM devices WHERE wg_public_key = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, public_key);
  return FirstRow<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<std::optional<uint32_t>> SqliteQueries::GetVpnAddress(
    absl::string_view device_id) {
  auto stmt =
      conn_->Prepare("SELECT address FROM vpn_addresses WHERE device_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return FirstRow<uint32_t>(*stmt, [](const Statement& s) {
    return static_cast<uint32_t>(s.Int(0));
  });
}

absl::StatusOr<uint32_t> SqliteQueries::AllocateVpnAddress(
    absl::string_view device_id, uint32_t first, uint32_t last) {
  // The lowest free address: `first` itself, or the address after an
  // allocated one whose successor is free. Both halves walk the primary
  // key index, so this stays cheap with a full pool.
  auto stmt = conn_->Prepare(
      "SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM vpn_addresses WHERE address "
      "= ?1) UNION ALL SELECT * FROM (SELECT a.address + 1 FROM "
      "vpn_addresses a WHERE a.address >= ?1 AND a.address < ?2 AND NOT "
      "EXISTS (SELECT 1 FROM vpn_addresses b WHERE b.address = a.address + "
      "1) ORDER BY a.address LIMIT 1) LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(first))
      .Bind(2, static_cast<int64_t>(last));
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::ResourceExhaustedError(
        "the VPN tunnel address pool is full: retire devices or widen "
        "--vpn-pool");
  }
  uint32_t address = static_cast<uint32_t>(stmt->Int(0));
  auto insert = conn_->Prepare(
      "INSERT INTO vpn_addresses (address, device_id) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, static_cast<int64_t>(address)).Bind(2, device_id);
  absl::Status s = insert->Run();
  if (!s.ok()) return s;
  return address;
}

absl::Status SqliteQueries::ReleaseVpnAddress(absl::string_view device_id) {
  auto stmt = conn_->Prepare("DELETE FROM vpn_addresses WHERE device_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return stmt->Run();
}

absl::StatusOr<std::optional<VpnPeerRecord>> SqliteQueries::GetVpnPeer(
    absl::string_view device_id) {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kPeerColumns, " FROM vpn_peers WHERE device_id = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, device_id);
  return FirstRow<VpnPeerRecord>(*stmt, PeerFromRow);
}

absl::StatusOr<std::vector<VpnPeerRecord>> SqliteQueries::ListVpnPeers() {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kPeerColumns, " FROM vpn_peers ORDER BY device_id"));
  if (!stmt.ok()) return stmt.status();
  return CollectRows<VpnPeerRecord>(*stmt, PeerFromRow);
}

absl::StatusOr<std::vector<VpnPeerRecord>> SqliteQueries::ListPeerChanges(
    uint64_t after_serial, int limit) {
  auto stmt = conn_->Prepare(
      absl::StrCat("SELECT ", kPeerColumns,
                   ", at FROM vpn_peer_changes WHERE serial > ? ORDER BY "
                   "serial LIMIT ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(after_serial))
      .Bind(2, static_cast<int64_t>(limit));
  return CollectRows<VpnPeerRecord>(*stmt, [](const Statement& s) {
    VpnPeerRecord p = PeerFromRow(s);
    p.at = FromDb(s.Int(6));
    return p;
  });
}

absl::StatusOr<PeerFeedBounds> SqliteQueries::GetPeerFeedBounds() {
  // sqlite_sequence keeps the highest serial ever handed out, even after
  // the log is pruned to nothing.
  auto stmt = conn_->Prepare(
      "SELECT (SELECT value FROM server_meta WHERE key = 'feed_id'), "
      "(SELECT seq FROM sqlite_sequence WHERE name = 'vpn_peer_changes'), "
      "(SELECT MIN(serial) FROM vpn_peer_changes)");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  PeerFeedBounds b;
  b.feed_id = stmt->Text(0);
  b.latest_serial = static_cast<uint64_t>(stmt->IsNull(1) ? 0 : stmt->Int(1));
  b.oldest_serial = static_cast<uint64_t>(stmt->IsNull(2) ? b.latest_serial + 1
                                                          : stmt->Int(2));
  return b;
}

absl::StatusOr<std::vector<DeviceRecord>> SqliteQueries::ListVpnDevices() {
  auto stmt = conn_->Prepare(absl::StrCat(
      "SELECT ", kDeviceColumns,
      " FROM devices WHERE wg_public_key IS NOT NULL ORDER BY device_id"));
  if (!stmt.ok()) return stmt.status();
  return CollectRows<DeviceRecord>(*stmt, DeviceFromRow);
}

absl::StatusOr<uint64_t> SqliteQueries::AppendPeerChange(VpnPeerRecord c) {
  auto log = conn_->Prepare(
      "INSERT INTO vpn_peer_changes (device_id, public_key, access, "
      "allowed_ips, permitted, at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!log.ok()) return log.status();
  log->Bind(1, c.device_id)
      .Bind(2, c.public_key)
      .Bind(3, static_cast<int64_t>(c.access))
      .Bind(4, c.allowed_ips)
      .Bind(5, c.permitted)
      .Bind(6, ToDb(c.at));
  absl::Status s = log->Run();
  if (!s.ok()) return s;
  uint64_t serial =
      static_cast<uint64_t>(sqlite3_last_insert_rowid(conn_->raw()));
  if (c.access == v1::VPN_ACCESS_FULL ||
      c.access == v1::VPN_ACCESS_QUARANTINE) {
    auto put = conn_->Prepare(
        "INSERT INTO vpn_peers (serial, device_id, public_key, access, "
        "allowed_ips, permitted) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON "
        "CONFLICT(device_id) DO UPDATE SET serial = ?1, public_key = ?3, "
        "access = ?4, allowed_ips = ?5, permitted = ?6");
    if (!put.ok()) return put.status();
    put->Bind(1, static_cast<int64_t>(serial))
        .Bind(2, c.device_id)
        .Bind(3, c.public_key)
        .Bind(4, static_cast<int64_t>(c.access))
        .Bind(5, c.allowed_ips)
        .Bind(6, c.permitted);
    s = put->Run();
  } else {
    auto del = conn_->Prepare(
        "DELETE FROM vpn_peers WHERE device_id = ? AND public_key = ?");
    if (!del.ok()) return del.status();
    del->Bind(1, c.device_id).Bind(2, c.public_key);
    s = del->Run();
  }
  if (!s.ok()) return s;
  if (events_ != nullptr) {
    events_->last_peer_serial = std::max(events_->last_peer_serial, serial);
  }
  return serial;
}

absl::Status SqliteQueries::PrunePeerChanges(uint64_t through) {
  auto stmt = conn_->Prepare("DELETE FROM vpn_peer_changes WHERE serial <= ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(through));
  absl::Status s = stmt->Run();
  if (s.ok() && events_ != nullptr) events_->peer_log_pruned = true;
  return s;
}

}  // namespace trellis::server
