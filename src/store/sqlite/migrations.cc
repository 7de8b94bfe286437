#include "store/sqlite/migrations.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>

#include "base/errors.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store::sqlite {
namespace {

// Step N (1-based) takes schema_version N-1 to N. Append only.
constexpr std::array<const char*, 4> kSteps = {
    // 1: accounts, AccessKeys (secrets sealed, see sqlite_store.h), nonces,
    // ClientToken records. accounts and access_keys keep their rowid: it is
    // the insertion order ListAccounts/ListAccessKeys promise.
    R"sql(
CREATE TABLE swasd_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO swasd_meta (key, value) VALUES ('format', 'swasd-sqlite');

CREATE TABLE accounts (
  account_id TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE access_keys (
  access_key_id  TEXT NOT NULL UNIQUE,
  sealed_secret  BLOB NOT NULL,
  account_id     TEXT NOT NULL REFERENCES accounts (account_id),
  principal_type TEXT NOT NULL CHECK (principal_type IN ('root', 'ram_user')),
  principal_name TEXT NOT NULL,
  active         INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at     INTEGER NOT NULL
);
CREATE INDEX access_keys_by_account ON access_keys (account_id);

CREATE TABLE nonces (
  access_key_id TEXT NOT NULL,
  nonce         TEXT NOT NULL,
  expires_at    INTEGER NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

CREATE TABLE idempotency (
  account_id  TEXT NOT NULL,
  action      TEXT NOT NULL,
  token       TEXT NOT NULL,
  params_hash TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  response    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, action, token)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_created ON idempotency (created_at);
)sql",
    // 2: product resources (store.h Resource): indexed columns plus a JSON
    // document. Lists page by (created_at, id) within an account and region.
    R"sql(
CREATE TABLE resources (
  kind       TEXT NOT NULL,
  id         TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  parent_id  TEXT NOT NULL,
  flag       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX resources_by_scope
  ON resources (kind, account_id, region_id, created_at, id);
CREATE INDEX resources_by_flag
  ON resources (kind, account_id, region_id, flag, created_at, id);
CREATE INDEX resources_by_parent ON resources (kind, account_id, parent_id);
CREATE INDEX resources_by_name ON resources (kind, account_id, name);
)sql",
    // 3: named server secrets (store.h GetSecret), sealed like AccessKey
    // secrets with "secret:<name>" as associated data.
    R"sql(
CREATE TABLE secrets (
  name   TEXT PRIMARY KEY,
  sealed BLOB NOT NULL
) WITHOUT ROWID;
)sql",
    // 4: exact resource counts per (kind, account, region, flag), kept by
    // triggers in the same transaction as the change, so CountResources
    // (a list's TotalCount) reads a few rows instead of counting an index
    // range: O(1) in the number of resources (docs/performance.md).
    R"sql(
CREATE TABLE resource_counts (
  kind       TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region_id  TEXT NOT NULL,
  flag       INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (kind, account_id, region_id, flag)
) WITHOUT ROWID;
INSERT INTO resource_counts (kind, account_id, region_id, flag, n)
  SELECT kind, account_id, region_id, flag, COUNT(*) FROM resources
  GROUP BY kind, account_id, region_id, flag;
CREATE TRIGGER resources_count_insert AFTER INSERT ON resources
BEGIN
  INSERT INTO resource_counts (kind, account_id, region_id, flag, n)
    VALUES (new.kind, new.account_id, new.region_id, new.flag, 1)
    ON CONFLICT (kind, account_id, region_id, flag) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER resources_count_delete AFTER DELETE ON resources
BEGIN
  UPDATE resource_counts SET n = n - 1
    WHERE kind = old.kind AND account_id = old.account_id
      AND region_id = old.region_id AND flag = old.flag;
END;
CREATE TRIGGER resources_count_update
  AFTER UPDATE OF kind, account_id, region_id, flag ON resources
  WHEN old.kind IS NOT new.kind OR old.account_id IS NOT new.account_id
    OR old.region_id IS NOT new.region_id OR old.flag IS NOT new.flag
BEGIN
  UPDATE resource_counts SET n = n - 1
    WHERE kind = old.kind AND account_id = old.account_id
      AND region_id = old.region_id AND flag = old.flag;
  INSERT INTO resource_counts (kind, account_id, region_id, flag, n)
    VALUES (new.kind, new.account_id, new.region_id, new.flag, 1)
    ON CONFLICT (kind, account_id, region_id, flag) DO UPDATE SET n = n + 1;
END;
)sql",
};

static_assert(kSteps.size() == SqliteStore::kSchemaVersion,
              "a migration step was added: bump SqliteStore::kSchemaVersion");

Error Refuse(std::string_view data_dir, std::string_view why) {
  return Error(errors::kInternalError, "data dir " + std::string(data_dir) +
                                           " " + std::string(why) +
                                           "; refusing to open");
}

Result<std::optional<std::string>> Scalar(Connection& conn,
                                          std::string_view sql,
                                          std::string_view arg) {
  SWASD_ASSIGN_OR_RETURN(Statement stmt, conn.Prepare(sql));
  stmt.Bind(1, arg);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.ColumnText(0));
}

// The schema_version of the database, 0 for an empty one, or a refusal.
// REQUIRES: inside a transaction.
Result<int> CurrentVersion(Connection& conn, std::string_view data_dir) {
  SWASD_ASSIGN_OR_RETURN(
      std::optional<std::string> meta,
      Scalar(conn,
             "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
             "name = ?1",
             "swasd_meta"));
  if (!meta) {
    SWASD_ASSIGN_OR_RETURN(
        std::optional<std::string> other,
        Scalar(conn,
               "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
               "name NOT LIKE ?1 ESCAPE '\\' LIMIT 1",
               "sqlite\\_%"));
    if (other) {
      return Refuse(data_dir, "holds a database that is not swasd's (table '" +
                                  *other + "' but no swasd_meta)");
    }
    return 0;
  }
  SWASD_ASSIGN_OR_RETURN(
      std::optional<std::string> format,
      Scalar(conn, "SELECT value FROM swasd_meta WHERE key = ?1", "format"));
  if (!format)
    return Refuse(data_dir, "holds a database with no format marker");
  if (*format != kFormat) {
    return Refuse(data_dir, "holds a database of format '" + *format +
                                "', expected '" + std::string(kFormat) + "'");
  }
  SWASD_ASSIGN_OR_RETURN(
      std::optional<std::string> text,
      Scalar(conn, "SELECT value FROM swasd_meta WHERE key = ?1",
             "schema_version"));
  int version = -1;
  if (text) {
    const char* end = text->data() + text->size();
    auto [p, ec] = std::from_chars(text->data(), end, version);
    if (ec != std::errc() || p != end) version = -1;
  }
  if (version < 1) {
    return Refuse(data_dir,
                  "holds a swasd database with an unreadable "
                  "schema_version '" +
                      text.value_or("") + "'");
  }
  if (version > SqliteStore::kSchemaVersion) {
    return Refuse(data_dir,
                  "was written by a newer swasd (schema " +
                      std::to_string(version) + ", this binary knows " +
                      std::to_string(SqliteStore::kSchemaVersion) + ")");
  }
  return version;
}

Status Apply(Connection& conn, int step) {
  SWASD_RETURN_IF_ERROR(conn.Exec(kSteps[step - 1]));
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn.Prepare("INSERT INTO swasd_meta (key, value) "
                   "VALUES ('schema_version', ?1) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  stmt.Bind(1, std::to_string(step));
  return stmt.Run();
}

}  // namespace

Result<int> Migrate(Connection& conn, std::string_view data_dir) {
  for (;;) {
    SWASD_RETURN_IF_ERROR(conn.BeginImmediate());
    // Re-read the version inside the lock: another process may have
    // migrated since we last looked.
    Result<int> version = CurrentVersion(conn, data_dir);
    Status s = version.ok() ? Status::Ok() : Status(version.error());
    const bool done = s.ok() && *version == SqliteStore::kSchemaVersion;
    if (s.ok() && !done) s = Apply(conn, *version + 1);
    if (s.ok()) s = conn.Exec("COMMIT");
    if (!s.ok()) {
      (void)conn.Rollback();
      return std::move(s).error();
    }
    if (done) return *version;
  }
}

}  // namespace swasd::store::sqlite
