#include "store/postgres/pg_migrations.h"

#include <pqxx/pqxx>

#include <array>
#include <charconv>
#include <optional>
#include <string>

#include "base/errors.h"
#include "store/postgres/pg_store.h"

namespace swasd::store::postgres {
namespace {

// Step N (1-based) takes schema_version N-1 to N. Append only.
constexpr std::array<const char*, 3> kSteps = {
    // 1: accounts, AccessKeys (secrets sealed, see pg_store.h), nonces,
    // ClientToken records. `seq` is the insertion order ListAccounts and
    // ListAccessKeys promise (SQLite's rowid).
    R"sql(
CREATE TABLE swasd_meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO swasd_meta (key, value) VALUES ('format', 'swasd-postgres');

CREATE TABLE accounts (
  seq        BIGSERIAL PRIMARY KEY,
  account_id TEXT COLLATE "C" NOT NULL UNIQUE,
  name       TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE access_keys (
  seq            BIGSERIAL PRIMARY KEY,
  access_key_id  TEXT COLLATE "C" NOT NULL UNIQUE,
  sealed_secret  BYTEA NOT NULL,
  account_id     TEXT COLLATE "C" NOT NULL REFERENCES accounts (account_id),
  principal_type TEXT NOT NULL CHECK (principal_type IN ('root', 'ram_user')),
  principal_name TEXT COLLATE "C" NOT NULL,
  active         BOOLEAN NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX access_keys_by_account ON access_keys (account_id, seq);

CREATE TABLE nonces (
  access_key_id TEXT COLLATE "C" NOT NULL,
  nonce         TEXT COLLATE "C" NOT NULL,
  expires_at    BIGINT NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

CREATE TABLE idempotency (
  account_id  TEXT COLLATE "C" NOT NULL,
  action      TEXT COLLATE "C" NOT NULL,
  token       TEXT COLLATE "C" NOT NULL,
  params_hash TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  response    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (account_id, action, token)
);
CREATE INDEX idempotency_by_created ON idempotency (created_at);
)sql",
    // 2: product resources (store.h Resource): indexed columns plus a JSON
    // document. Lists page by (created_at, id) within an account and region.
    R"sql(
CREATE TABLE resources (
  kind       TEXT COLLATE "C" NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL,
  region_id  TEXT COLLATE "C" NOT NULL,
  name       TEXT COLLATE "C" NOT NULL,
  parent_id  TEXT COLLATE "C" NOT NULL,
  flag       BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);
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
  name   TEXT COLLATE "C" PRIMARY KEY,
  sealed BYTEA NOT NULL
);
)sql",
};

static_assert(kSteps.size() == PgStore::kSchemaVersion,
              "a migration step was added: bump PgStore::kSchemaVersion");

Error Refuse(std::string_view where, std::string_view why) {
  return Error(errors::kInternalError, "database " + std::string(where) + " " +
                                           std::string(why) +
                                           "; refusing to open");
}

std::optional<std::string> Scalar(pqxx::transaction_base& tx,
                                  const std::string& sql,
                                  const std::string& arg) {
  pqxx::result r = tx.exec_params(sql, arg);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::string>();
}

// The schema_version of the database, 0 for an empty one, or a refusal.
Result<int> CurrentVersion(pqxx::transaction_base& tx,
                           std::string_view where) {
  pqxx::result meta = tx.exec(
      "SELECT 1 FROM information_schema.tables "
      "WHERE table_schema = current_schema() AND table_name = 'swasd_meta'");
  if (meta.empty()) {
    pqxx::result other = tx.exec(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() ORDER BY table_name LIMIT 1");
    if (!other.empty()) {
      return Refuse(where, "holds tables that are not swasd's (table '" +
                               other[0][0].as<std::string>() +
                               "' but no swasd_meta)");
    }
    return 0;
  }
  const std::string get = "SELECT value FROM swasd_meta WHERE key = $1";
  std::optional<std::string> format = Scalar(tx, get, "format");
  if (!format) return Refuse(where, "holds a swasd_meta with no format marker");
  if (*format != kFormat) {
    return Refuse(where, "holds a database of format '" + *format +
                             "', expected '" + std::string(kFormat) + "'");
  }
  std::optional<std::string> text = Scalar(tx, get, "schema_version");
  int version = -1;
  if (text) {
    const char* end = text->data() + text->size();
    auto [p, ec] = std::from_chars(text->data(), end, version);
    if (ec != std::errc() || p != end) version = -1;
  }
  if (version < 1) {
    return Refuse(where, "holds a swasd database with an unreadable "
                         "schema_version '" +
                             text.value_or("") + "'");
  }
  if (version > PgStore::kSchemaVersion) {
    return Refuse(where, "was written by a newer swasd (schema " +
                             std::to_string(version) + ", this binary knows " +
                             std::to_string(PgStore::kSchemaVersion) + ")");
  }
  return version;
}

}  // namespace

Result<int> Migrate(pqxx::transaction_base& tx, std::string_view where) {
  // Held until the caller's commit or rollback: other nodes opening the
  // same database wait here, then see the migrated schema.
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
  SWASD_ASSIGN_OR_RETURN(int version, CurrentVersion(tx, where));
  for (int step = version + 1; step <= PgStore::kSchemaVersion; ++step) {
    tx.exec(kSteps[step - 1]);
    tx.exec_params(
        "INSERT INTO swasd_meta (key, value) VALUES ('schema_version', $1) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        std::to_string(step));
    version = step;
  }
  return version;
}

}  // namespace swasd::store::postgres
