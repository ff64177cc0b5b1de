// Row mapping shared by the SQLite query files: time encoding, the device
// row, and helpers that run a statement and map its rows.
#ifndef TRELLIS_SERVER_STORE_SQLITE_ROWS_H_
#define TRELLIS_SERVER_STORE_SQLITE_ROWS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/records.h"
#include "server/store/sqlite_connection.h"

namespace trellis::server::sqlite_rows {

// Times are stored as Unix microseconds.
inline int64_t ToDb(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromDb(int64_t v) { return absl::FromUnixMicros(v); }
inline std::optional<int64_t> ToDb(std::optional<absl::Time> t) {
  if (!t) return std::nullopt;
  return ToDb(*t);
}
inline std::optional<absl::Time> OptionalFromDb(std::optional<int64_t> v) {
  if (!v) return std::nullopt;
  return FromDb(*v);
}

inline constexpr char kDeviceColumns[] =
    "device_id, key_hash, pending_key_hash, hostname, hardware_serial, "
    "platform, os_name, os_version, agent_version, grp, ownership, state, "
    "enrolled_at, last_seen_at, clone_of, cert_serial, cert_expires_at, "
    "token_id, last_sequence, facts_hash, revocation_reason, compliant, "
    "evaluated_bundle_version, compliance_state, grace_deadline, "
    "wg_public_key, vpn_enforcement";

DeviceRecord DeviceFromRow(const Statement& s);

// Binds every device column after device_id, starting at `first`, in
// kDeviceColumns order.
void BindDeviceFields(Statement& s, const DeviceRecord& d, int first);

// Runs a prepared query and maps every row.
template <typename T, typename RowFn>
absl::StatusOr<std::vector<T>> CollectRows(Statement& stmt, RowFn row_fn) {
  std::vector<T> out;
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(row_fn(stmt));
  }
}

template <typename T, typename RowFn>
absl::StatusOr<std::optional<T>> FirstRow(Statement& stmt, RowFn row_fn) {
  absl::StatusOr<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<T>();
  return std::optional<T>(row_fn(stmt));
}

// NotFound naming `what` unless the last statement changed exactly one row.
absl::Status ExpectOneChange(SqliteConnection* conn, absl::string_view what);

}  // namespace trellis::server::sqlite_rows

#endif  // TRELLIS_SERVER_STORE_SQLITE_ROWS_H_
