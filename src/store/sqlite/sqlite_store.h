// The embedded default Store: one SQLite database in a data directory.
//
// Layout of DATA_DIR (created with mode 0700 when missing):
//   swasd.db (+ -wal, -shm)  the database, WAL mode, synchronous=FULL
//   master.key               32 random bytes, mode 0600, made on first open
//
// Schema: versioned migrations (store/sqlite/migrations.h) run on every
// Open. A database written by a newer binary, or one that is not swasd's,
// is refused and left untouched.
//
// Secrets at rest: an AccessKey secret is never written in the clear. It is
// sealed with AES-256-GCM (crypto::Seal) under the master key, with the
// access_key_id as associated data, so swasd.db alone -- a copied file, a
// backup -- reveals no secret, and a sealed secret pasted onto another key
// does not open. Losing master.key loses every secret: back it up with the
// database but store it apart. Open refuses a data dir whose database holds
// keys when master.key is missing or does not open them.
//
// Concurrency: several SqliteStore instances, in one process or several
// (swasd and swasctl), may share a data dir. Writes go through one
// connection per instance and BEGIN IMMEDIATE, so writers serialize on
// SQLite's file lock; reads use a pool of connections, each Read a WAL
// snapshot that sees every Write committed before it began, in any process.
//
// Group commit: every Write (and WriteAsync) is queued for one writer
// thread, which runs the queue's head as one transaction: BEGIN IMMEDIATE,
// each caller's callback inside its own SAVEPOINT (a callback that fails
// is rolled back to its savepoint and gets its own error; the others are
// unaffected), one COMMIT -- so one fsync -- then every caller gets its own
// result: a waiting Write returns, a WriteAsync's `done` runs on the writer
// thread. No result is delivered before the COMMIT covering it is durable
// (synchronous=FULL), so the Store::Write contract holds per caller; what
// is shared is only the fsync. A storage failure that aborts the whole
// transaction (I/O error, disk full) or a failed COMMIT fails every caller
// of the batch whose callback succeeded, with that error: nothing of the
// batch is committed. Callbacks run on the writer thread, each exactly
// once, alone on the connection. While the writer commits one group the
// next one queues, so the group grows with the load and no thread but the
// writer ever sleeps on an fsync unless it asked to (Write).
// Crash consistency: a batch is one SQLite transaction, so after a crash
// either all of its successful callbacks are in the database or none is;
// none of them had been answered before its COMMIT returned.
//
// In memory (SqliteOptions::in_memory, swasd --ephemeral): the same store
// on a database that lives in this process's memory only -- SQLite's memdb
// VFS, "file:/swasd-memory-<pid>-<n>?vfs=memdb", one per Open, shared by
// the writer and reader connections. No file is created or read: no
// swasd.db, no journal, no master.key (the key is random, in memory). It
// is gone when the store is destroyed, and a crash loses it; Write's
// "durable" means "visible to every later Read", nothing more (Durable()
// is false). memdb has no WAL, so readers and the writer cannot overlap as
// they do on disk: they take turns (a group's transaction excludes Reads,
// Reads run together), writers first, so neither waits on SQLite's busy
// handler. Not shared with other processes: swasctl cannot open it.
#ifndef SWASD_STORE_SQLITE_SQLITE_STORE_H_
#define SWASD_STORE_SQLITE_SQLITE_STORE_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/thread_annotations.h"
#include "store/store.h"

namespace swasd::store {

namespace sqlite {
class Connection;
}  // namespace sqlite

struct SqliteOptions {
  // Directory holding swasd.db and master.key. Required unless in_memory.
  std::string data_dir;
  // How long a Write waits for another writer's lock (and a Read for a
  // locked database) before failing with ServiceUnavailable.
  int busy_timeout_ms = 5000;
  // Connections serving Read concurrently; further Reads wait. Must be >= 1.
  int reader_connections = 4;
  // Batch concurrent Writes into one transaction and one fsync (see
  // above). false: every Write is its own transaction (for comparison).
  // The environment variable SWASD_NO_GROUP_COMMIT=1 forces false (a
  // measurement knob for bench/run.sh, docs/performance.md).
  bool group_commit = true;
  // At most this many Writes share one transaction. Must be >= 1.
  int max_group_size = 256;
  // Keep the database in memory (see above); data_dir is not used.
  bool in_memory = false;
};

class SqliteStore final : public Store {
 public:
  // The schema version this binary migrates databases to.
  static constexpr int kSchemaVersion = 4;

  // Opens (creating and migrating as needed) the store in options.data_dir.
  // Failure: InternalError (ServiceUnavailable if the database stayed
  // locked) whose message says what is wrong and, for a refused data dir,
  // why -- fit to show the operator as is.
  static Result<std::unique_ptr<SqliteStore>> Open(
      const SqliteOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  // As Store::Write: queues fn for the writer thread and waits for its
  // group. REQUIRES: not called from inside a Write callback or a `done`
  // of this store (both run on the writer thread, which would wait for
  // itself).
  Status Write(const std::function<Status(Tx&)>& fn) override;
  // As Store::WriteThen, in one group (one transaction, one fsync): `first`
  // and `then` each run in their own SAVEPOINT, adjacent in the batch.
  Status WriteThen(const std::function<Status(Tx&)>& first,
                   const std::function<Status(Tx&)>& then) override;
  // As Store::WriteAsync/WriteThenAsync; `done` runs on the writer thread.
  void WriteAsync(std::function<Status(Tx&)> fn, WriteDone done) override;
  void WriteThenAsync(std::function<Status(Tx&)> first,
                      std::function<Status(Tx&)> then, WriteDone done) override;
  bool AsyncWrites() const override { return true; }
  void Drain() override EXCLUDES(queue_mu_);
  // As Store::Read. A write inside fn fails with InternalError.
  Status Read(const std::function<Status(Tx&)>& fn) override
      EXCLUDES(read_mu_);
  std::string_view Backend() const override {
    return in_memory_ ? "sqlite-memory" : "sqlite";
  }
  bool Durable() const override { return !in_memory_; }

  // Writes queued for the writer or in the group being committed. Lets a
  // test wait for writers to have queued instead of sleeping.
  size_t QueuedWrites() EXCLUDES(queue_mu_);

 private:
  // One Write, WriteThen or asynchronous write in the queue.
  struct PendingWrite;
  // In memory: Reads and the writer's groups take turns (see above).
  class Turns;

  SqliteStore(const SqliteOptions& options, std::string master_key,
              std::unique_ptr<sqlite::Connection> writer,
              std::vector<std::unique_ptr<sqlite::Connection>> readers);

  // Queues `w` for the writer thread.
  void Enqueue(std::shared_ptr<PendingWrite> w) EXCLUDES(queue_mu_);
  // Queues `w` and waits until it is committed (or failed); rethrows what
  // its callback threw.
  Status EnqueueAndWait(const std::shared_ptr<PendingWrite>& w)
      EXCLUDES(queue_mu_);
  // The writer thread: takes groups off the queue until stopping_.
  void WriterLoop() EXCLUDES(queue_mu_);
  // Runs `batch` as one transaction; sets each member's result.
  void CommitGroup(const std::vector<std::shared_ptr<PendingWrite>>& batch);

  const std::string master_key_;
  const size_t max_group_size_;
  const bool in_memory_;
  // Set when in_memory_, else nullptr.
  const std::unique_ptr<Turns> turns_;

  Mutex queue_mu_;
  std::deque<std::shared_ptr<PendingWrite>> queue_ GUARDED_BY(queue_mu_);
  // Members of the group being committed (QueuedWrites, Drain).
  size_t in_group_ GUARDED_BY(queue_mu_) = 0;
  bool stopping_ GUARDED_BY(queue_mu_) = false;
  std::condition_variable work_;  // the queue got a member, or stopping_
  std::condition_variable idle_;  // a group finished (Drain)

  // Used by the writer thread only (and Open before it starts).
  const std::unique_ptr<sqlite::Connection> writer_;

  Mutex read_mu_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<sqlite::Connection>> readers_;
  std::vector<sqlite::Connection*> idle_readers_ GUARDED_BY(read_mu_);

  // Last: started when everything above is ready, joined first.
  std::thread writer_thread_;
};

}  // namespace swasd::store

#endif  // SWASD_STORE_SQLITE_SQLITE_STORE_H_
