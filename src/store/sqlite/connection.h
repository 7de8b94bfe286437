// A thin RAII layer over one sqlite3 connection: opening with swasd's
// pragmas, a per-connection prepared-statement cache, and the mapping of
// SQLite result codes to swasd Errors. Internal to store/sqlite.
//
// Thread safety: none. A Connection is used by one thread at a time (the
// SqliteStore hands each out under a mutex).
#ifndef SWASD_STORE_SQLITE_CONNECTION_H_
#define SWASD_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/error.h"

namespace swasd::store::sqlite {

// The Error for a failed SQLite call: ServiceUnavailable when the database
// is locked (SQLITE_BUSY/SQLITE_LOCKED, a condition that passes), else
// InternalError. The SQLite message goes to the internal cause only, never
// to the client-facing message.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

class Connection;

// A borrowed, cached prepared statement. Binds are 1-based, columns
// 0-based, as in the SQLite API. Destruction resets the statement and
// clears its bindings so the cache can hand it out again.
class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& Bind(int index, int64_t value);

  // Advances. Returns true when a row is available, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE).
  Status Run();

  int64_t ColumnInt(int col) const;
  std::string ColumnText(int col) const;
  std::string ColumnBlob(int col) const;

 private:
  friend class Connection;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;  // first failing bind, reported by Step()
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` with busy_timeout
  // set. A writer connection gets foreign_keys=ON and synchronous=FULL; a
  // `query_only` one refuses writes. Does not change the journal mode.
  // `in_memory`: `path` is a "file:/NAME?vfs=memdb" URI, a database in this
  // process's memory shared by its connections (no file; synchronous=OFF,
  // as there is nothing to sync; temporary tables and journals in memory).
  // Failure: InternalError whose message names the path and the reason.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  int busy_timeout_ms,
                                                  bool query_only,
                                                  bool in_memory = false);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more SQL statements that return no rows, uncached.
  Status Exec(const char* sql);

  // BEGIN IMMEDIATE: takes the database's single write lock. SQLite's busy
  // handler waits for it up to busy_timeout_ms; a SQLITE_BUSY that still
  // comes back (some bypass the handler) is retried with backoff until
  // busy_timeout_ms have passed in all, then reported as ServiceUnavailable.
  Status BeginImmediate();

  // Runs a PRAGMA (or any one statement) and returns the first column of
  // its first row ("" without rows), retrying SQLITE_BUSY as BeginImmediate
  // does. Why: `PRAGMA journal_mode=WAL` on a new file needs an exclusive
  // lock, and two first opens racing for it get SQLITE_BUSY at once (SQLite
  // skips the busy handler where waiting could deadlock).
  Result<std::string> PragmaText(const char* sql);

  // Ends the open transaction, if any, without committing. Never leaves
  // the connection inside a transaction unless it returns an error.
  Status Rollback();

  // Returns the cached statement for `sql`, preparing it on first use.
  // REQUIRES: `sql` is one statement and no other Statement for the same
  // text is alive.
  Result<Statement> Prepare(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  sqlite3* db() const { return db_; }

 private:
  Connection(sqlite3* db, int busy_timeout_ms)
      : db_(db), busy_timeout_ms_(busy_timeout_ms) {}

  // Calls `attempt` (an SQLite call returning its result code) until it
  // returns other than SQLITE_BUSY or busy_timeout_ms have passed, with
  // backoff from 1 to 64 ms; returns its last code.
  int RetryBusy(const std::function<int()>& attempt);

  sqlite3* db_;
  const int busy_timeout_ms_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace swasd::store::sqlite

#endif  // SWASD_STORE_SQLITE_CONNECTION_H_
