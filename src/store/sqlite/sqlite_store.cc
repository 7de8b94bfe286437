#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
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

// A shared/exclusive gate that prefers the writer: once it waits, new
// Reads wait behind it, so a steady stream of Reads cannot starve writes.
class SqliteStore::Turns {
 public:
  void BeginRead() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    while (writing_ || writer_waiting_) mu_.Wait(cv_);
    ++reading_;
  }
  void EndRead() EXCLUDES(mu_) {
    bool last;
    {
      MutexLock lock(&mu_);
      last = --reading_ == 0;
    }
    if (last) cv_.notify_all();
  }
  // Only the writer thread writes, so there is one writer at most.
  void BeginWrite() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    writer_waiting_ = true;
    while (reading_ > 0) mu_.Wait(cv_);
    writer_waiting_ = false;
    writing_ = true;
  }
  void EndWrite() EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      writing_ = false;
    }
    cv_.notify_all();
  }

 private:
  Mutex mu_;
  std::condition_variable cv_;
  int reading_ GUARDED_BY(mu_) = 0;
  bool writing_ GUARDED_BY(mu_) = false;
  bool writer_waiting_ GUARDED_BY(mu_) = false;
};

namespace {

// The Turns a thread holds for reading (a Read's callback), so that a Read
// nested in it does not wait behind a writer waiting for it.
thread_local const void* t_reading = nullptr;
// The Turns the writer thread holds while it runs a group.
thread_local const void* t_writing = nullptr;

// The name of a new in-memory database, unique in this process.
std::string NewMemoryDatabase() {
  static std::atomic<uint64_t> next{0};
  return "file:/swasd-memory-" + std::to_string(::getpid()) + "-" +
         std::to_string(next++) + "?vfs=memdb";
}

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
  // Racing first opens may find the switch busy: PragmaText retries.
  SWASD_ASSIGN_OR_RETURN(std::string mode, conn.PragmaText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
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
  const bool in_memory = options.in_memory;
  if (options.data_dir.empty() && !in_memory) {
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
  // In memory: no directory, no file (see the header).
  const fs::path dir = in_memory ? fs::path("(in memory)") : fs::path(options.data_dir);
  if (!in_memory) SWASD_RETURN_IF_ERROR(MakeDataDir(dir));
  const std::string db_path =
      in_memory ? NewMemoryDatabase() : (dir / "swasd.db").string();

  auto writer = Connection::Open(db_path, options.busy_timeout_ms,
                                 /*query_only=*/false, in_memory);
  if (!writer.ok()) return std::move(writer).error();
  Status s = in_memory ? Status::Ok() : UseWal(**writer);
  // Each member of a group runs in a SAVEPOINT, whose undo record (the
  // statement journal: the first version of every page it touches) SQLite
  // spills to a temporary file past 64 KiB -- two pwrites per page, most
  // of a group's syscalls. In memory it is a few MiB at most (a group's
  // pages) and never needs to survive a crash: the WAL is what commits
  // (docs/performance.md, finding 13).
  if (s.ok()) s = (*writer)->Exec("PRAGMA temp_store=MEMORY");
  Result<int> version =
      s.ok() ? sqlite::Migrate(**writer, dir.string()) : Result<int>(s.error());
  if (!version.ok()) return ForOperator(dir, std::move(version).error());
  // In memory, the key dies with the database it seals.
  Result<std::string> master_key =
      in_memory ? Result<std::string>(crypto::RandomBytes(kMasterKeySize))
                : LoadMasterKey(dir, **writer);
  if (!master_key.ok()) return ForOperator(dir, std::move(master_key).error());

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    auto reader = Connection::Open(db_path, options.busy_timeout_ms,
                                   /*query_only=*/true, in_memory);
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
      max_group_size_(options.group_commit && !GroupCommitDisabledByEnv()
                          ? static_cast<size_t>(options.max_group_size)
                          : 1),
      in_memory_(options.in_memory),
      turns_(options.in_memory ? std::make_unique<Turns>() : nullptr),
      writer_(std::move(writer)),
      readers_(std::move(readers)) {
  for (auto& r : readers_) idle_readers_.push_back(r.get());
  writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
  {
    MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  work_.notify_one();
  writer_thread_.join();
}

struct SqliteStore::PendingWrite {
  // A synchronous caller's callbacks stay the caller's (it waits); an
  // asynchronous one's are owned here.
  std::function<Status(Tx&)> owned_fn, owned_then;
  const std::function<Status(Tx&)>* fn = nullptr;
  // WriteThen's second unit of work, run after fn succeeded, in its own
  // savepoint; nullptr for a plain Write.
  const std::function<Status(Tx&)>* then = nullptr;
  // WriteThen's `first` succeeded: a failure of the whole batch must then
  // be reported as such, not as then's own result (first is lost too).
  bool first_done = false;
  Status result = Status::Ok();
  std::exception_ptr exception;  // thrown by a callback
  // Asynchronous: called with the result on the writer thread. Empty for
  // a synchronous caller, who waits on cv until `finished`.
  WriteDone done;
  bool finished = false;  // guarded by queue_mu_
  std::condition_variable cv;
};

Status SqliteStore::Write(const std::function<Status(Tx&)>& fn) {
  auto w = std::make_shared<PendingWrite>();
  w->fn = &fn;
  return EnqueueAndWait(w);
}

Status SqliteStore::WriteThen(const std::function<Status(Tx&)>& first,
                              const std::function<Status(Tx&)>& then) {
  auto w = std::make_shared<PendingWrite>();
  w->fn = &first;
  w->then = &then;
  return EnqueueAndWait(w);
}

void SqliteStore::WriteAsync(std::function<Status(Tx&)> fn, WriteDone done) {
  auto w = std::make_shared<PendingWrite>();
  w->owned_fn = std::move(fn);
  w->fn = &w->owned_fn;
  w->done = std::move(done);
  Enqueue(std::move(w));
}

void SqliteStore::WriteThenAsync(std::function<Status(Tx&)> first,
                                 std::function<Status(Tx&)> then,
                                 WriteDone done) {
  auto w = std::make_shared<PendingWrite>();
  w->owned_fn = std::move(first);
  w->owned_then = std::move(then);
  w->fn = &w->owned_fn;
  w->then = &w->owned_then;
  w->done = std::move(done);
  Enqueue(std::move(w));
}

size_t SqliteStore::QueuedWrites() {
  MutexLock lock(&queue_mu_);
  return queue_.size() + in_group_;
}

void SqliteStore::Drain() {
  MutexLock lock(&queue_mu_);
  while (!queue_.empty() || in_group_ > 0) queue_mu_.Wait(idle_);
}

void SqliteStore::Enqueue(std::shared_ptr<PendingWrite> w) {
  bool wake;
  {
    MutexLock lock(&queue_mu_);
    // The writer sleeps only on an empty queue with no group in flight; a
    // write arriving during a commit is picked up when the commit ends.
    wake = queue_.empty() && in_group_ == 0;
    queue_.push_back(std::move(w));
  }
  if (wake) work_.notify_one();
}

Status SqliteStore::EnqueueAndWait(const std::shared_ptr<PendingWrite>& self) {
  if (turns_ && t_reading == turns_.get()) {
    // The writer would wait for this Read to end, and it for the writer.
    return Error(errors::kInternalError)
        .WithCause("sqlite: Write inside a Read of an in-memory store");
  }
  Enqueue(self);
  {
    MutexLock lock(&queue_mu_);
    while (!self->finished) queue_mu_.Wait(self->cv);
  }
  if (std::exception_ptr e = std::exchange(self->exception, nullptr)) {
    std::rethrow_exception(e);
  }
  return std::move(self->result);
}

void SqliteStore::WriterLoop() {
  MutexLock lock(&queue_mu_);
  for (;;) {
    while (queue_.empty() && !stopping_) queue_mu_.Wait(work_);
    if (queue_.empty()) return;  // stopping, and every write is done
    const size_t n = std::min(queue_.size(), max_group_size_);
    std::vector<std::shared_ptr<PendingWrite>> batch(
        std::make_move_iterator(queue_.begin()),
        std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    in_group_ = n;
    lock.Unlock();
    if (turns_) {
      turns_->BeginWrite();
      t_writing = turns_.get();
    }
    CommitGroup(batch);  // catches what the callbacks throw
    if (turns_) {
      t_writing = nullptr;
      turns_->EndWrite();
    }
    lock.Lock();
    for (const auto& w : batch) w->finished = true;
    lock.Unlock();
    // Deliver outside the lock: a waiting caller wakes without blocking on
    // it, and a `done` may queue another write.
    for (const auto& w : batch) {
      if (!w->done) {
        w->cv.notify_one();
        continue;
      }
      Status s = std::move(w->result);
      if (w->exception) {
        s = Error(errors::kInternalError).WithCause("a write callback threw");
        try {
          std::rethrow_exception(w->exception);
        } catch (const std::exception& e) {
          s = Error(errors::kInternalError)
                  .WithCause(std::string("a write callback threw: ") + e.what());
        } catch (...) {
        }
      }
      // A `done` that throws must not take the writer down with it.
      try {
        w->done(std::move(s));
      } catch (...) {
      }
    }
    batch.clear();
    lock.Lock();
    in_group_ = 0;
    if (queue_.empty()) idle_.notify_all();
  }
}

void SqliteStore::CommitGroup(
    const std::vector<std::shared_ptr<PendingWrite>>& batch) {
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
    s = unit(*w->fn, &w->result, &w->exception);
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
  // In memory: wait for the writer's turn to end (see the header). A Read
  // nested in a Read already has the turn.
  if (turns_ && t_writing == turns_.get()) {
    return Error(errors::kInternalError)
        .WithCause("sqlite: Read inside a Write of an in-memory store");
  }
  const bool take_turn = turns_ && t_reading != turns_.get();
  if (take_turn) turns_->BeginRead();
  struct TurnGuard {
    Turns* turns;
    const void* outer;
    ~TurnGuard() {
      t_reading = outer;
      if (turns != nullptr) turns->EndRead();
    }
  } turn_guard{take_turn ? turns_.get() : nullptr, t_reading};
  if (turns_) t_reading = turns_.get();
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
