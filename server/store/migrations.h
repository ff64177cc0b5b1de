// Versioned schema. The version lives in PRAGMA user_version; each step runs
// in its own transaction, so a failed step leaves the previous version.
#ifndef TRELLIS_SERVER_STORE_MIGRATIONS_H_
#define TRELLIS_SERVER_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/sqlite_connection.h"

namespace trellis::server {

// Migration i (0-based) brings the schema from version i to version i + 1.
const std::vector<std::string>& SchemaMigrations();

int LatestSchemaVersion();

absl::StatusOr<int> SchemaVersion(SqliteConnection& conn);

// Brings the database up to `target` (default: latest). Refuses a database
// newer than this build knows, rather than guessing at it.
absl::Status Migrate(SqliteConnection& conn, int target = -1);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_STORE_MIGRATIONS_H_
