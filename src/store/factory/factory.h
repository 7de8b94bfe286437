// Opens the Store the configuration names: SQLite in a data directory (the
// default), or PostgreSQL when a database URL is given. Used by swasd and
// swasctl, so both read the same flags the same way.
#ifndef SWASD_STORE_FACTORY_FACTORY_H_
#define SWASD_STORE_FACTORY_FACTORY_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "store/store.h"

namespace swasd::store {

struct StoreConfig {
  // --data-dir: the SQLite store's directory. Used when `database` is empty.
  std::string data_dir;
  // --database (SWASD_DATABASE): postgresql://user[:password]@host[:port]/db
  // [?param=value...] (or postgres://). Empty: SQLite in data_dir.
  std::string database;
  // --master-key-file (SWASD_MASTER_KEY_FILE): PostgreSQL only, required
  // there (see store/postgres/pg_store.h). Ignored by SQLite, whose key is
  // DATA_DIR/master.key.
  std::string master_key_file;
  // Connections: SQLite readers, or the PostgreSQL pool (>= 1).
  int connections = 0;  // 0: the backend's default
  // --ephemeral (SWASD_EPHEMERAL): SQLite in memory, nothing on disk and
  // nothing kept (store/sqlite/sqlite_store.h); data_dir is not used and
  // `database` must be empty.
  bool ephemeral = false;
};

// True when `database` is a PostgreSQL URL.
bool IsPostgresUrl(std::string_view database);

// Opens (creating and migrating as needed) the configured store. Failure:
// the backend's Open error (a message fit for the operator), or
// InternalError when `database` is neither empty nor a PostgreSQL URL, or
// both are empty.
Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config);

// The schema version this binary migrates `backend` ("sqlite",
// "postgresql") stores to; 0 for an unknown backend.
int SchemaVersion(std::string_view backend);

}  // namespace swasd::store

#endif  // SWASD_STORE_FACTORY_FACTORY_H_
