#include "store/factory/factory.h"

#include "base/errors.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store {

bool IsPostgresUrl(std::string_view database) {
  return database.starts_with("postgresql://") ||
         database.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config) {
  if (config.ephemeral) {
    if (!config.database.empty()) {
      return Error(errors::kInternalError,
                   "--ephemeral keeps the state in memory: it cannot be "
                   "combined with --database");
    }
    SqliteOptions options;
    options.in_memory = true;
    if (config.connections > 0) options.reader_connections = config.connections;
    auto opened = SqliteStore::Open(options);
    if (!opened.ok()) return std::move(opened).error();
    return std::unique_ptr<Store>(std::move(opened).value());
  }
  if (!config.database.empty()) {
    if (!IsPostgresUrl(config.database)) {
      return Error(errors::kInternalError,
                   "--database must be a postgresql:// URL (e.g. "
                   "postgresql://swasd@db.example:5432/swasd); leave it "
                   "unset for the SQLite store in --data-dir");
    }
    PgOptions options;
    options.dsn = config.database;
    options.master_key_file = config.master_key_file;
    if (config.connections > 0) options.pool_size = config.connections;
    auto opened = PgStore::Open(options);
    if (!opened.ok()) return std::move(opened).error();
    return std::unique_ptr<Store>(std::move(opened).value());
  }
  if (config.data_dir.empty()) {
    return Error(errors::kInternalError,
                 "no store configured: give --data-dir (SQLite) or "
                 "--database (PostgreSQL)");
  }
  SqliteOptions options;
  options.data_dir = config.data_dir;
  if (config.connections > 0) options.reader_connections = config.connections;
  auto opened = SqliteStore::Open(options);
  if (!opened.ok()) return std::move(opened).error();
  return std::unique_ptr<Store>(std::move(opened).value());
}

int SchemaVersion(std::string_view backend) {
  if (backend == "sqlite") return SqliteStore::kSchemaVersion;
  if (backend == "postgresql") return PgStore::kSchemaVersion;
  return 0;
}

}  // namespace swasd::store
