// Versioned schema migrations for the SQLite store. The schema is an
// ordered list of steps compiled into the binary; step N takes a database
// from schema_version N-1 to N. swasd_meta records:
//   format          "swasd-sqlite" (so a foreign database is never touched)
//   schema_version  the last step applied
// A released step is never edited: changes ship as a new step.
#ifndef SWASD_STORE_SQLITE_MIGRATIONS_H_
#define SWASD_STORE_SQLITE_MIGRATIONS_H_

#include <string_view>

#include "base/error.h"
#include "store/sqlite/connection.h"

namespace swasd::store::sqlite {

inline constexpr std::string_view kFormat = "swasd-sqlite";

// Brings the database behind `conn` to SqliteStore::kSchemaVersion, one step
// per IMMEDIATE transaction, so concurrent openers (swasd and swasctl)
// serialize and each step is applied exactly once. Returns the resulting
// version. Refuses (InternalError, message naming `data_dir` and the reason) a
// database that holds tables but no swasd format marker, has another
// format, or was written by a newer binary; such a database is left as is.
// REQUIRES: conn is not in a transaction.
Result<int> Migrate(Connection& conn, std::string_view data_dir);

}  // namespace swasd::store::sqlite

#endif  // SWASD_STORE_SQLITE_MIGRATIONS_H_
