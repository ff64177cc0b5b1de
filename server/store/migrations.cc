#include "server/store/migrations.h"

#include "absl/strings/str_cat.h"

namespace trellis::server {

const std::vector<std::string>& SchemaMigrations() {
  static const auto* migrations = new std::vector<std::string>{
      // 1: identity, tokens, operators, audit.
      R"sql(
CREATE TABLE enrollment_tokens (
  token_id     TEXT PRIMARY KEY,
  secret_hash  BLOB NOT NULL,
  grp          TEXT NOT NULL,
  ownership    INTEGER NOT NULL,
  max_uses     INTEGER NOT NULL CHECK (max_uses > 0),
  uses         INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  revoked_at   INTEGER,
  description  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE devices (
  device_id        TEXT PRIMARY KEY,
  key_hash         BLOB NOT NULL UNIQUE,
  pending_key_hash BLOB UNIQUE,
  hostname         TEXT NOT NULL,
  hardware_serial  TEXT NOT NULL,
  platform         INTEGER NOT NULL,
  os_name          TEXT NOT NULL,
  os_version       TEXT NOT NULL,
  agent_version    TEXT NOT NULL,
  grp              TEXT NOT NULL,
  ownership        INTEGER NOT NULL,
  state            INTEGER NOT NULL,
  enrolled_at      INTEGER NOT NULL,
  last_seen_at     INTEGER,
  clone_of         TEXT NOT NULL DEFAULT '',
  cert_serial      TEXT NOT NULL,
  cert_expires_at  INTEGER NOT NULL,
  token_id         TEXT NOT NULL,
  last_sequence    INTEGER NOT NULL DEFAULT 0,
  facts_hash       BLOB,
  revocation_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX devices_by_serial ON devices(hardware_serial)
  WHERE hardware_serial != '';
CREATE TABLE operators (
  name            TEXT PRIMARY KEY,
  role            INTEGER NOT NULL,
  key_hash        BLOB NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  created_by      TEXT NOT NULL,
  cert_expires_at INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  time       INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT NOT NULL,
  details    TEXT NOT NULL,
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL
);
)sql",
      // 2: last report per device, kept apart from the device row so a
      // listing never drags report blobs through the page cache.
      R"sql(
CREATE TABLE device_reports (
  device_id   TEXT PRIMARY KEY REFERENCES devices(device_id),
  seq         INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  report      BLOB NOT NULL
);
CREATE INDEX devices_by_enrolment ON devices(enrolled_at DESC, device_id);
)sql",
      // 3: signed policy bundles and each device's per-check state.
      R"sql(
CREATE TABLE policy_bundles (
  version      INTEGER PRIMARY KEY,
  published_at INTEGER NOT NULL,
  published_by TEXT NOT NULL,
  signed       BLOB NOT NULL
);
CREATE TABLE device_check_states (
  device_id  TEXT NOT NULL REFERENCES devices(device_id),
  policy_id  TEXT NOT NULL,
  check_id   TEXT NOT NULL,
  state      INTEGER NOT NULL,
  since      INTEGER NOT NULL,
  detail     TEXT NOT NULL DEFAULT '',
  error      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (device_id, policy_id, check_id)
) WITHOUT ROWID;
ALTER TABLE devices ADD COLUMN compliant INTEGER;
ALTER TABLE devices ADD COLUMN evaluated_bundle_version INTEGER NOT NULL
  DEFAULT 0;
)sql",
      // 4: the compliance state machine and its history.
      R"sql(
ALTER TABLE devices ADD COLUMN compliance_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN grace_deadline INTEGER;
CREATE TABLE compliance_transitions (
  seq        INTEGER PRIMARY KEY,
  device_id  TEXT NOT NULL REFERENCES devices(device_id),
  at         INTEGER NOT NULL,
  from_state INTEGER NOT NULL,
  to_state   INTEGER NOT NULL,
  cause      TEXT NOT NULL
);
CREATE INDEX compliance_transitions_by_device
  ON compliance_transitions(device_id, seq);
CREATE INDEX devices_by_grace_deadline ON devices(grace_deadline)
  WHERE grace_deadline IS NOT NULL;
CREATE INDEX devices_by_last_seen ON devices(last_seen_at);
)sql",
      // 5: time-limited admin exceptions per device and check.
      R"sql(
CREATE TABLE compliance_exceptions (
  exception_id INTEGER PRIMARY KEY,
  device_id    TEXT NOT NULL REFERENCES devices(device_id),
  policy_id    TEXT NOT NULL,
  check_id     TEXT NOT NULL,
  until        INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX compliance_exceptions_by_device
  ON compliance_exceptions(device_id, until);
)sql",
      // 6: VPN access. Tunnel addresses are unique by primary key; the
      // current gateway allow-list is vpn_peers; every change to it is a
      // row of vpn_peer_changes, whose serial (AUTOINCREMENT: never reused,
      // even after pruning) is what gateways resume from. feed_id names
      // this database so a gateway never resumes across databases.
      R"sql(
ALTER TABLE devices ADD COLUMN wg_public_key TEXT;
ALTER TABLE devices ADD COLUMN vpn_enforcement INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX devices_by_wg_key ON devices(wg_public_key)
  WHERE wg_public_key IS NOT NULL;
CREATE TABLE vpn_addresses (
  address   INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL UNIQUE REFERENCES devices(device_id)
);
CREATE TABLE vpn_peers (
  device_id   TEXT PRIMARY KEY REFERENCES devices(device_id),
  public_key  TEXT NOT NULL,
  access      INTEGER NOT NULL,
  allowed_ips TEXT NOT NULL,
  permitted   TEXT NOT NULL,
  serial      INTEGER NOT NULL
);
CREATE TABLE vpn_peer_changes (
  serial      INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id   TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  access      INTEGER NOT NULL,
  allowed_ips TEXT NOT NULL,
  permitted   TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE TABLE server_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO server_meta (key, value) VALUES ('feed_id', lower(hex(randomblob(16))));
)sql",
  };
  return *migrations;
}

int LatestSchemaVersion() {
  return static_cast<int>(SchemaMigrations().size());
}

absl::StatusOr<int> SchemaVersion(SqliteConnection& conn) {
  absl::StatusOr<Statement> stmt = conn.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt->Int(0));
}

absl::Status Migrate(SqliteConnection& conn, int target) {
  const auto& migrations = SchemaMigrations();
  if (target < 0) target = LatestSchemaVersion();
  if (target > LatestSchemaVersion()) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema version ", target,
                     " does not exist; the latest is ", LatestSchemaVersion()));
  }
  absl::StatusOr<int> current = SchemaVersion(conn);
  if (!current.ok()) return current.status();
  if (*current > LatestSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", *current,
                     " is newer than this trellis-server supports (",
                     LatestSchemaVersion(), "); upgrade trellis-server"));
  }
  for (int v = *current; v < target; ++v) {
    absl::Status s = conn.Exec("BEGIN IMMEDIATE");
    if (s.ok()) s = conn.Exec(migrations[v]);
    if (s.ok()) s = conn.Exec(absl::StrCat("PRAGMA user_version = ", v + 1));
    if (s.ok()) s = conn.Exec("COMMIT");
    if (!s.ok()) {
      conn.Exec("ROLLBACK").IgnoreError();
      return absl::InternalError(absl::StrCat("schema migration to version ",
                                              v + 1, " failed: ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::server
