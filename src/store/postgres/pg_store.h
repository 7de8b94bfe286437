// The PostgreSQL Store: state in one PostgreSQL database shared by any
// number of swasd nodes (and swasctl), so the nodes themselves are
// stateless. Selected with --database postgresql://... (see
// docs/operations.md).
//
// Schema: versioned migrations (store/postgres/pg_migrations.h) run on
// every Open, serialized across nodes by pg_advisory_xact_lock. A database
// written by a newer binary, or holding tables that are not swasd's, is
// refused and left untouched.
//
// Transactions:
//   Write  SERIALIZABLE. A unit of work that fails to serialize (40001) or
//          deadlocks (40P01) is rolled back and its callback re-run from the
//          start, up to max_write_attempts times with jittered exponential
//          backoff; then ServiceUnavailable. So every committed Write is
//          equivalent to some serial order of all Writes of all nodes:
//          concurrent Share/UnShare/Delete on one image from two nodes, a
//          nonce claimed on two nodes at once, a ClientToken replayed on
//          another node all behave as on one SQLite node. A callback may
//          therefore run more than once: it must have no effects outside
//          the Tx other than ones it overwrites when re-run.
//          COMMIT returns after the commit is durable on the server
//          (synchronous_commit as the server configures it; the default,
//          on, flushes WAL to disk).
//   Read   REPEATABLE READ READ ONLY: one consistent snapshot that sees
//          every Write committed (on any node) before it began.
//
// Writes of one store (one swasd node) run one at a time: under
// SERIALIZABLE, concurrent writers whose B-tree reads and writes touch the
// same index pages (adjacent ids, the audit trail's appended events) abort
// each other as serialization failures, and at 32 concurrent writers the
// re-runs never ended (ServiceUnavailable after max_write_attempts;
// bench/pg.sh, docs/performance.md finding 17). Writers of different nodes
// still run concurrently and are re-run on a serialization failure.
//
// Connections: a pool of pool_size connections shared by Read and Write,
// opened lazily (Open opens the first one). A connection that breaks is
// dropped; the unit of work, which cannot have committed, is re-run once on
// a fresh connection, and if the server cannot be reached the call fails
// with ServiceUnavailable (HTTP 503) at once -- it does not hang. Later
// calls reconnect, so nothing needs restarting when the database comes
// back. A connection lost during COMMIT leaves the outcome unknown: that
// call fails with ServiceUnavailable and is not re-run (a client retrying
// with its ClientToken gets the committed answer if there was one).
// Waiting for a free connection is bounded by acquire_timeout_ms, a new
// connection by connect_timeout_s (libpq's connect_timeout, unless the DSN
// sets it).
//
// Secrets at rest: as the SQLite store, each AccessKey secret is sealed with
// AES-256-GCM (crypto::Seal) under a 32-byte master key, with the
// access_key_id as associated data, so the database alone -- a dump, a
// replica, a backup -- reveals no secret. The master key never enters the
// database. It lives in master_key_file (swasd: --master-key-file or
// SWASD_MASTER_KEY_FILE), which holds 32 raw bytes or 64 hex digits, and
// every node of one database must use the same key. The choices:
//   * master_key_file is required: the PostgreSQL store never guesses a
//     location (each node's data dir would give each node its own key).
//   * The file exists: its key is used. Open refuses (naming the file) a
//     key that does not open the database's check value (swasd_meta
//     master_key_check, a constant sealed under the key when the database
//     got its first key) or its stored secrets.
//   * The file does not exist and the database holds no sealed secret and
//     no check value yet (a new database): a random key is generated into
//     the file (mode 0600, 64 hex digits) and the check value stored.
//     Distribute that file to the other nodes before starting them.
//   * The file does not exist but the database holds secrets: refused,
//     with a message saying the key must be restored from where it is kept.
// The check and the generation run under the migration lock, so two nodes
// started at once on a new database with their own (missing) key files
// cannot both seal under different keys: the second is refused.
#ifndef SWASD_STORE_POSTGRES_PG_STORE_H_
#define SWASD_STORE_POSTGRES_PG_STORE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/thread_annotations.h"
#include "store/store.h"

namespace swasd::store {

namespace postgres {
struct Slot;
}  // namespace postgres

struct PgOptions {
  // libpq connection string: postgresql://user[:password]@host[:port]/db[?...]
  // or "host=... dbname=...". Required.
  std::string dsn;
  // Connections shared by Read and Write. Must be >= 1.
  int pool_size = 8;
  // The master key file (see above). Required.
  std::string master_key_file;
  // How long a call waits for a free pooled connection before failing
  // with ServiceUnavailable.
  int acquire_timeout_ms = 10000;
  // libpq connect_timeout added to the DSN unless it sets one.
  int connect_timeout_s = 5;
  // Runs of a Write callback (the first and the re-runs after
  // serialization failures) before ServiceUnavailable. Must be >= 1.
  int max_write_attempts = 16;
};

class PgStore final : public Store {
 public:
  // The schema version this binary migrates databases to.
  static constexpr int kSchemaVersion = 3;

  // Connects, migrates and checks (or creates) the master key. Failure:
  // InternalError (ServiceUnavailable when the server cannot be reached)
  // whose message says what is wrong -- fit to show the operator as is,
  // with any password in the DSN redacted.
  static Result<std::unique_ptr<PgStore>> Open(const PgOptions& options);

  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;
  ~PgStore() override;

  // As Store::Write (see above for isolation and re-runs). REQUIRES: not
  // called from inside a Read or Write callback of this store (the pool
  // may be exhausted).
  Status Write(const std::function<Status(Tx&)>& fn) override;
  // As Store::Read. A write inside fn fails with InternalError.
  Status Read(const std::function<Status(Tx&)>& fn) override;
  std::string_view Backend() const override { return "postgresql"; }

 private:
  PgStore(const PgOptions& options, std::string dsn, std::string master_key,
          std::unique_ptr<postgres::Slot> first);

  // Takes a pooled connection, connecting it if needed.
  Result<postgres::Slot*> Acquire() EXCLUDES(mu_);
  void Release(postgres::Slot* slot) EXCLUDES(mu_);
  // Runs one attempt of fn on a connection; see pg_store.cc.
  template <typename Txn>
  Status Attempt(postgres::Slot* slot, const std::function<Status(Tx&)>& fn,
                 bool commit, int* kind);
  Status Run(const std::function<Status(Tx&)>& fn, bool write) EXCLUDES(mu_);

  const PgOptions options_;
  const std::string dsn_;  // with defaults added
  const std::string master_key_;

  Mutex mu_;
  // Held by a write attempt, from BEGIN to COMMIT (not while backing off).
  Mutex write_gate_;
  std::condition_variable free_;
  std::vector<std::unique_ptr<postgres::Slot>> slots_;
  std::vector<postgres::Slot*> idle_ GUARDED_BY(mu_);
};

}  // namespace swasd::store

#endif  // SWASD_STORE_POSTGRES_PG_STORE_H_
