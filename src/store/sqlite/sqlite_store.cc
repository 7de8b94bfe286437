#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <utility>

#include <sqlite3.h>

#include "base/crypto.h"
#include "base/errors.h"
#include "store/master_key_file.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_tx.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;
using sqlite::Connection;

Error Refuse(const fs::path& dir, std::string_view why) {
  return Error(errors::kInternalError, "data dir " + dir.string() + " " +
                                           std::string(why) +
                                           "; refusing to open");
}

// Open's errors go to an operator, not an API client: a SQLite failure
// gets its cause promoted into the message.
Error ForOperator(const fs::path& dir, Error e) {
  if (e.internal_cause().empty()) return e;
  return Error(
             e.code(), e.http_status(),
             "cannot open data dir " + dir.string() + ": " + e.internal_cause())
      .WithCause(e.internal_cause());
}

Status MakeDataDir(const fs::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  // mkdir with the final mode, so the directory is never briefly open to
  // others; parents keep the umask's mode.
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(
        errors::kInternalError,
        "cannot create data dir " + dir.string() + ": " + std::strerror(errno));
  }
  if (!fs::is_directory(dir, ec)) {
    return Error(errors::kInternalError,
                 "data dir " + dir.string() + " is not a directory");
  }
  return Status::Ok();
}

Status UseWal(Connection& conn) {
  // WAL lets readers, in any process, run beside the one writer. The mode
  // is stored in the database file, so every later connection inherits it.
  SWASD_ASSIGN_OR_RETURN(sqlite::Statement stmt,
                         conn.Prepare("PRAGMA journal_mode=WAL"));
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.ColumnText(0) != "wal") {
    return Error(errors::kInternalError)
        .WithCause("sqlite: the file system does not support WAL mode");
  }
  return Status::Ok();
}

struct SealedSample {
  std::string access_key_id;
  std::string sealed_secret;
};

// Any one stored sealed secret, to check master.key against; nullopt when
// the database holds no AccessKey yet.
Result<std::optional<SealedSample>> SampleSealedSecret(Connection& conn) {
  SWASD_ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      conn.Prepare("SELECT access_key_id, sealed_secret FROM access_keys "
                   "LIMIT 1"));
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<SealedSample>();
  return std::optional<SealedSample>(
      SealedSample{stmt.ColumnText(0), stmt.ColumnBlob(1)});
}

Result<std::string> LoadMasterKey(const fs::path& dir, Connection& conn) {
  const fs::path file = dir / "master.key";
  SWASD_ASSIGN_OR_RETURN(std::optional<SealedSample> sample,
                         SampleSealedSecret(conn));
  SWASD_ASSIGN_OR_RETURN(std::optional<std::string> key,
                         ReadMasterKeyFile(file, KeyEncoding::kRaw));
  if (!key) {
    if (sample) {
      return Refuse(dir, "holds sealed AccessKey secrets but " + file.string() +
                             " is missing (restore it from backup)");
    }
    return CreateMasterKeyFile(file, KeyEncoding::kRaw);
  }
  if (sample &&
      !crypto::Open(*key, sample->sealed_secret, sample->access_key_id)) {
    return Refuse(dir, "holds AccessKey secrets that " + file.string() +
                           " does not open (a master.key of another data "
                           "dir?)");
  }
  return std::move(*key);
}

// Ends a transaction on `conn` after fn's result `s`: commits when `commit`
// and s is OK, rolls back otherwise. Returns s or the commit failure.
Status Finish(Connection& conn, Status s, bool commit) {
  if (s.ok() && commit) {
    s = conn.Exec("COMMIT");
    if (s.ok()) return s;
  }
  // The result of the work decides; a failed rollback only leaves a
  // transaction that Rollback() retries before the connection's next use.
  (void)conn.Rollback();
  return s;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const SqliteOptions& options) {
  if (options.data_dir.empty()) {
    return Error(errors::kInternalError, "sqlite store: no data dir given");
  }
  if (options.reader_connections < 1) {
    return Error(errors::kInternalError,
                 "sqlite store: reader_connections must be at least 1");
  }
  if (options.max_group_size < 1) {
    return Error(errors::kInternalError,
                 "sqlite store: max_group_size must be at least 1");
  }
  const fs::path dir = options.data_dir;
  SWASD_RETURN_IF_ERROR(MakeDataDir(dir));
  const std::string db_path = (dir / "swasd.db").string();

  auto writer =
      Connection::Open(db_path, options.busy_timeout_ms, /*query_only=*/false);
  if (!writer.ok()) return std::move(writer).error();
  Status s = UseWal(**writer);
  Result<int> version =
      s.ok() ? sqlite::Migrate(**writer, dir.string()) : Result<int>(s.error());
  if (!version.ok()) return ForOperator(dir, std::move(version).error());
  Result<std::string> master_key = LoadMasterKey(dir, **writer);
  if (!master_key.ok()) return ForOperator(dir, std::move(master_key).error());

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    auto reader =
        Connection::Open(db_path, options.busy_timeout_ms, /*query_only=*/true);
    if (!reader.ok()) return std::move(reader).error();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(options, std::move(*master_key), std::move(*writer),
                      std::move(readers)));
}

namespace {
bool GroupCommitDisabledByEnv() {
  const char* v = std::getenv("SWASD_NO_GROUP_COMMIT");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}
}  // namespace

SqliteStore::SqliteStore(
    const SqliteOptions& options, std::string master_key,
    std::unique_ptr<sqlite::Connection> writer,
    std::vector<std::unique_ptr<sqlite::Connection>> readers)
    : master_key_(std::move(master_key)),
      group_commit_(options.group_commit && !GroupCommitDisabledByEnv()),
      max_group_size_(static_cast<size_t>(options.max_group_size)),
      writer_(std::move(writer)),
      readers_(std::move(readers)) {
  for (auto& r : readers_) idle_readers_.push_back(r.get());
}

SqliteStore::~SqliteStore() = default;

struct SqliteStore::PendingWrite {
  PendingWrite(const std::function<Status(Tx&)>& f,
               const std::function<Status(Tx&)>* t)
      : fn(f), then(t) {}
  const std::function<Status(Tx&)>& fn;
  // WriteThen's second unit of work, run after fn succeeded, in its own
  // savepoint; nullptr for a plain Write.
  const std::function<Status(Tx&)>* then;
  // WriteThen's `first` succeeded: a failure of the whole batch must then
  // be reported as such, not as then's own result (first is lost too).
  bool first_done = false;
  Status result = Status::Ok();
  std::exception_ptr exception;  // thrown by fn; rethrown to its caller
  bool done = false;             // guarded by queue_mu_
  std::condition_variable cv;    // signalled when done or made leader
};

Status SqliteStore::WriteAlone(const std::function<Status(Tx&)>& fn) {
  MutexLock lock(&write_mu_);
  const auto began = std::chrono::steady_clock::now();
  SWASD_RETURN_IF_ERROR(writer_->Rollback());
  SWASD_RETURN_IF_ERROR(writer_->BeginImmediate());
  sqlite::SqliteTx tx(*writer_, master_key_);
  Status s = Status::Ok();
  try {
    s = fn(tx);
  } catch (...) {
    // Roll back now: left open, the transaction would hold the database's
    // write lock -- against swasctl and other processes too -- until this
    // store's next Write.
    (void)writer_->Rollback();
    throw;
  }
  const bool committing = s.ok();
  s = Finish(*writer_, std::move(s), /*commit=*/true);
  if (committing && s.ok()) NotifyCommit(1, began);
  return s;
}

Status SqliteStore::Write(const std::function<Status(Tx&)>& fn) {
  if (!group_commit_) return WriteAlone(fn);
  return Enqueue(std::make_shared<PendingWrite>(fn, nullptr));
}

Status SqliteStore::WriteThen(const std::function<Status(Tx&)>& first,
                              const std::function<Status(Tx&)>& then) {
  if (!group_commit_) return Store::WriteThen(first, then);
  return Enqueue(std::make_shared<PendingWrite>(first, &then));
}

size_t SqliteStore::QueuedWrites() {
  MutexLock lock(&queue_mu_);
  return queue_.size();
}

Status SqliteStore::Enqueue(const std::shared_ptr<PendingWrite>& self) {
  MutexLock lock(&queue_mu_);
  queue_.push_back(self);
  // Wait until a leader has committed us, or we lead.
  while (!self->done && queue_.front() != self) queue_mu_.Wait(self->cv);
  if (!self->done) {
    // Leader: take the queue's head (ourselves first) as one group. Writes
    // arriving from now on queue behind it for the next leader.
    const size_t n = std::min(queue_.size(), max_group_size_);
    std::vector<std::shared_ptr<PendingWrite>> batch(
        queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.Unlock();
    CommitGroup(batch);
    lock.Lock();
    for (size_t i = 0; i < n; ++i) {
      queue_.front()->done = true;
      queue_.pop_front();
    }
    std::shared_ptr<PendingWrite> next =
        queue_.empty() ? nullptr : queue_.front();
    lock.Unlock();
    // Signal outside the lock, so a woken thread does not block on it at
    // once; the next leader first, so the next group starts meanwhile.
    if (next) next->cv.notify_one();
    for (size_t i = 1; i < n; ++i) batch[i]->cv.notify_one();
  } else {
    lock.Unlock();
  }
  // Take the exception out: the leader may drop the last reference to
  // *self after we return, and must not be the one to free it.
  if (std::exception_ptr e = std::exchange(self->exception, nullptr)) {
    std::rethrow_exception(e);
  }
  return std::move(self->result);
}

void SqliteStore::CommitGroup(
    const std::vector<std::shared_ptr<PendingWrite>>& batch) {
  MutexLock lock(&write_mu_);
  const auto began = std::chrono::steady_clock::now();
  Connection& conn = *writer_;
  auto fail_all = [&](const Status& s) {
    for (const auto& w : batch) {
      if ((w->result.ok() && !w->exception) || w->first_done) {
        w->result = s;
        w->exception = nullptr;
      }
    }
  };
  Status s = conn.Rollback();
  if (s.ok()) s = conn.BeginImmediate();
  if (!s.ok()) return fail_all(s);

  // Cached statements: these run once or twice per member.
  auto run = [&](std::string_view sql) -> Status {
    SWASD_ASSIGN_OR_RETURN(sqlite::Statement stmt, conn.Prepare(sql));
    return stmt.Run();
  };
  sqlite::SqliteTx tx(conn, master_key_);
  // Runs one unit of work in its own savepoint, setting *result or
  // *exception. Returns a storage failure that ends the whole batch.
  auto unit = [&](const std::function<Status(Tx&)>& fn, Status* result,
                  std::exception_ptr* exception) -> Status {
    SWASD_RETURN_IF_ERROR(run("SAVEPOINT swasd_write"));
    try {
      *result = fn(tx);
    } catch (...) {
      *exception = std::current_exception();
    }
    if (result->ok() && !*exception) return run("RELEASE swasd_write");
    if (sqlite3_get_autocommit(conn.db())) {
      // SQLite itself rolled the whole transaction back (SQLITE_FULL,
      // SQLITE_IOERR, ...): the work of the callbacks before this one is
      // gone with it.
      return result->ok() ? Status(Error(errors::kInternalError)
                                       .WithCause("sqlite: transaction rolled "
                                                  "back by a failed write"))
                          : *result;
    }
    SWASD_RETURN_IF_ERROR(run("ROLLBACK TO swasd_write"));
    return run("RELEASE swasd_write");
  };
  for (const auto& w : batch) {
    s = unit(w->fn, &w->result, &w->exception);
    if (!s.ok()) break;
    if (w->then == nullptr || !w->result.ok() || w->exception) continue;
    w->first_done = true;
    // WriteThen: `first` stays released (committed with the batch) whatever
    // `then` does.
    s = unit(*w->then, &w->result, &w->exception);
    if (!s.ok()) break;
  }
  if (s.ok()) s = conn.Exec("COMMIT");
  if (!s.ok()) {
    fail_all(s);
    (void)conn.Rollback();
    return;
  }
  // What the COMMIT made durable: members whose work was not rolled back.
  size_t committed = 0;
  for (const auto& w : batch) {
    committed += (w->result.ok() && !w->exception) || w->first_done;
  }
  if (committed > 0) NotifyCommit(committed, began);
}

Status SqliteStore::Read(const std::function<Status(Tx&)>& fn) {
  Connection* conn;
  {
    MutexLock lock(&read_mu_);
    while (idle_readers_.empty()) read_mu_.Wait(reader_free_);
    conn = idle_readers_.back();
    idle_readers_.pop_back();
  }
  // The connection goes back to the pool however fn ends, a throw included
  // (else every throwing Read would take a connection out of the pool).
  auto give_back = [&] {
    {
      MutexLock lock(&read_mu_);
      idle_readers_.push_back(conn);
    }
    reader_free_.notify_one();
  };
  Status s = conn->Rollback();
  if (s.ok()) s = conn->Exec("BEGIN");
  if (s.ok()) {
    sqlite::SqliteTx tx(*conn, master_key_);
    Status result = Status::Ok();
    try {
      result = fn(tx);
    } catch (...) {
      (void)conn->Rollback();
      give_back();
      throw;
    }
    // A snapshot has nothing to commit.
    s = Finish(*conn, std::move(result), /*commit=*/false);
  }
  give_back();
  return s;
}

}  // namespace swasd::store
