#include "store/sqlite/connection.h"

#include <functional>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "base/errors.h"

namespace swasd::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string cause = "sqlite: " + std::string(what) + ": " +
                      (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error(errors::kServiceUnavailable).WithCause(std::move(cause));
  }
  return Error(errors::kInternalError).WithCause(std::move(cause));
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::NoteBind(int rc) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::Bind(int index, std::string_view text) {
  NoteBind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  NoteBind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                               SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(db_, bind_rc_, "bind");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "step");
}

Status Statement::Run() {
  SWASD_ASSIGN_OR_RETURN(bool row, Step());
  if (row) {
    return Error(errors::kInternalError)
        .WithCause("sqlite: statement expected to return no rows did");
  }
  return Status::Ok();
}

int64_t Statement::ColumnInt(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Statement::ColumnText(int col) const {
  const auto* p =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  // The length must be read after the pointer (SQLite API contract).
  return p == nullptr ? std::string()
                      : std::string(p, sqlite3_column_bytes(stmt_, col));
}

std::string Statement::ColumnBlob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p == nullptr ? std::string()
                      : std::string(p, sqlite3_column_bytes(stmt_, col));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     int busy_timeout_ms,
                                                     bool query_only,
                                                     bool in_memory) {
  sqlite3* db = nullptr;
  // NOMUTEX: the store already serializes use of each connection. URI only
  // for the in-memory database, so a data dir named "file:..." stays a path.
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
          (in_memory ? SQLITE_OPEN_URI : 0),
      nullptr);
  std::unique_ptr<Connection> conn(new Connection(db, busy_timeout_ms));
  if (rc != SQLITE_OK) {
    return Error(errors::kInternalError, "cannot open sqlite database " + path +
                                             ": " + sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // synchronous=FULL: a commit returns only once its WAL frames are
  // fsync'd (NORMAL could lose the last commits on power loss).
  Status s = conn->Exec(query_only ? "PRAGMA query_only=ON;"
                                   : "PRAGMA foreign_keys=ON;"
                                     "PRAGMA synchronous=FULL;");
  // memdb keeps the database in memory and its journal too (SQLite picks
  // journal_mode=MEMORY for it); statement journals and temporary tables
  // would otherwise be files in the temporary directory.
  if (s.ok() && in_memory) s = conn->Exec("PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;");
  if (!s.ok()) {
    return Error(errors::kInternalError, "cannot open sqlite database " + path +
                                             ": " + sqlite3_errmsg(db))
        .WithCause(s.error().internal_cause());
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "exec");
  return Status::Ok();
}

int Connection::RetryBusy(const std::function<int()>& attempt) {
  using std::chrono::steady_clock;
  const auto deadline =
      steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  std::chrono::milliseconds backoff(1);
  for (;;) {
    const int rc = attempt();
    if ((rc & 0xff) != SQLITE_BUSY || steady_clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(64));
  }
}

Status Connection::BeginImmediate() {
  const int rc = RetryBusy(
      [&] { return sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); });
  if (rc == SQLITE_OK) return Status::Ok();
  return SqliteError(db_, rc, "begin immediate");
}

Result<std::string> Connection::PragmaText(const char* sql) {
  std::string value;
  const int rc = RetryBusy([&] {
    sqlite3_stmt* stmt = nullptr;
    int r = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    if (r == SQLITE_OK) {
      r = sqlite3_step(stmt);
      if (r == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        value = text != nullptr ? reinterpret_cast<const char*>(text) : "";
        r = SQLITE_OK;
      } else if (r == SQLITE_DONE) {
        r = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    return r;
  });
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "step");
  return value;
}

Status Connection::Rollback() {
  // SQLite rolls some failed transactions back by itself (SQLITE_FULL,
  // SQLITE_IOERR, ...); a second ROLLBACK would be an error.
  if (sqlite3_get_autocommit(db_)) return Status::Ok();
  return Exec("ROLLBACK");
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(db_, it->second);
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace swasd::store::sqlite
