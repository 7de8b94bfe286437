// Versioned schema migrations for the PostgreSQL store, mirroring SQLite's
// (store/sqlite/migrations.h): the same logical schema as an ordered list
// of steps compiled into the binary; step N takes schema_version N-1 to N.
// swasd_meta records:
//   format            "swasd-postgres" (so a foreign database is never touched)
//   schema_version    the last step applied
//   master_key_check  a value sealed under the master key (see pg_store.h)
// A released step is never edited: changes ship as a new step.
//
// Every text column swasd orders or compares by is COLLATE "C", so order
// is byte order whatever the database's locale, as in SQLite.
#ifndef SWASD_STORE_POSTGRES_PG_MIGRATIONS_H_
#define SWASD_STORE_POSTGRES_PG_MIGRATIONS_H_

#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace swasd::store::postgres {

inline constexpr std::string_view kFormat = "swasd-postgres";

// The pg_advisory_xact_lock key every swasd node takes before looking at
// or changing the schema (and the master key check), so concurrent
// openers serialize and each step is applied exactly once.
inline constexpr int64_t kMigrationLockKey = 0x73776173640001;  // "swasd" 1

// Brings the database to PgStore::kSchemaVersion inside `tx` (which the
// caller commits), after taking kMigrationLockKey. Returns the resulting
// version. Refuses (InternalError, message naming `where` and the reason)
// a database whose current schema holds tables but no swasd format marker,
// has another format, or was written by a newer binary; nothing is changed
// then. Throws what libpqxx throws.
Result<int> Migrate(pqxx::transaction_base& tx, std::string_view where);

}  // namespace swasd::store::postgres

#endif  // SWASD_STORE_POSTGRES_PG_MIGRATIONS_H_
