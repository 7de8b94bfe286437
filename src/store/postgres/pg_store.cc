#include "store/postgres/pg_store.h"

#include <optional>
#include <unistd.h>

#include <pqxx/pqxx>

#include <chrono>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "store/postgres/pg_common.h"
#include "store/master_key_file.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_tx.h"

namespace swasd::store {
namespace postgres {

// One pooled connection; `conn` is null while disconnected. The quiet
// handler keeps libpq notices (and libpqxx's own) off stderr; it must go
// before the connection it is registered with.
struct Slot {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<pqxx::quiet_errorhandler> quiet;

  ~Slot() { Drop(); }
  bool connected() const { return conn != nullptr && conn->is_open(); }
  void Drop() {
    quiet.reset();
    if (conn) {
      try {
        conn->disconnect();
      } catch (...) {
        // Closing a dead socket: nothing to do.
      }
      conn.reset();
    }
  }
};

namespace {

constexpr char kKeyCheckPlaintext[] = "swasd-postgres master key check";
constexpr char kKeyCheckAd[] = "swasd_meta.master_key_check";

// Opens a connection to `dsn`. Failure: ServiceUnavailable (the server is
// unreachable, refuses, or is starting or stopping) or InternalError (a
// malformed DSN, authentication), the libpq message as the cause.
Result<std::unique_ptr<pqxx::connection>> Connect(const std::string& dsn) {
  try {
    auto conn = std::make_unique<pqxx::connection>(dsn);
    // A connection that breaks is dropped and replaced by the pool; libpqxx
    // must never quietly reconnect it under an open transaction.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    return conn;
  } catch (const pqxx::broken_connection& e) {
    std::string what = e.what();
    // Bad credentials and malformed DSNs do not pass with time.
    const bool permanent =
        what.find("authentication") != std::string::npos ||
        what.find("invalid connection option") != std::string::npos ||
        what.find("missing \"=\"") != std::string::npos ||
        what.find("invalid URI") != std::string::npos ||
        (what.find("database \"") != std::string::npos &&
         what.find("does not exist") != std::string::npos);
    Failure f = Classify(std::current_exception(), "connect", nullptr);
    if (permanent) {
      return Error(errors::kInternalError).WithCause(f.error.internal_cause());
    }
    return std::move(f.error);
  } catch (...) {
    return Classify(std::current_exception(), "connect", nullptr).error;
  }
}

Status ConnectSlot(Slot& slot, const std::string& dsn) {
  slot.Drop();
  SWASD_ASSIGN_OR_RETURN(slot.conn, Connect(dsn));
  slot.quiet = std::make_unique<pqxx::quiet_errorhandler>(*slot.conn);
  return Status::Ok();
}

Error Refuse(std::string_view where, std::string_view why) {
  return Error(errors::kInternalError, "database " + std::string(where) + " " +
                                           std::string(why) +
                                           "; refusing to open");
}

// Reads, or creates for a new database, the master key, and checks it
// against the database. Runs inside the migration transaction (holding the
// migration lock). Throws what libpqxx throws.
Result<std::string> LoadMasterKey(pqxx::transaction_base& tx,
                                  const std::string& file,
                                  std::string_view where) {
  std::optional<std::string> check;
  pqxx::result r = tx.exec(
      "SELECT value FROM swasd_meta WHERE key = 'master_key_check'");
  if (!r.empty()) check = HexDecode(r[0][0].as<std::string>());
  if (!r.empty() && !check) {
    return Refuse(where, "holds an unreadable master_key_check");
  }
  std::optional<std::pair<std::string, std::string>> sample;
  r = tx.exec(
      "SELECT access_key_id, encode(sealed_secret, 'hex') FROM access_keys "
      "ORDER BY seq LIMIT 1");
  if (!r.empty()) {
    sample.emplace(DecodeText(r[0][0].as<std::string>()),
                   HexDecode(r[0][1].as<std::string>()).value_or(""));
  }

  SWASD_ASSIGN_OR_RETURN(std::optional<std::string> key,
                         ReadMasterKeyFile(file, KeyEncoding::kHex));
  bool created = false;
  if (!key) {
    if (check || sample) {
      return Refuse(where, "holds AccessKey secrets sealed under a master key, "
                           "but master key file " + file +
                               " does not exist (copy the key file every "
                               "node of this database uses, or restore it "
                               "from backup)");
    }
    SWASD_ASSIGN_OR_RETURN(std::string fresh, CreateMasterKeyFile(file, KeyEncoding::kHex, &created));
    key = std::move(fresh);
  }
  const bool opens =
      (!check || crypto::Open(*key, *check, kKeyCheckAd)) &&
      (!sample || crypto::Open(*key, sample->second, sample->first));
  if (!opens) {
    if (created) ::unlink(file.c_str());
    return Refuse(where, "is sealed under another master key than the one "
                         "in " + file +
                             " (every node of a database must use the same "
                             "key file)");
  }
  if (!check) {
    tx.exec_params(
        "INSERT INTO swasd_meta (key, value) VALUES ('master_key_check', $1)",
        HexLower(crypto::Seal(*key, kKeyCheckPlaintext, kKeyCheckAd)));
  }
  return std::move(*key);
}

// Sleeps before re-run `attempt` (1-based) of a Write: exponential from
// 2 ms, capped at 200 ms, uniformly jittered over the upper half so
// colliding writers spread out.
void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap = std::min(200, 2 << std::min(attempt, 10));
  std::uniform_int_distribution<int> dist(cap / 2, cap);
  std::this_thread::sleep_for(std::chrono::milliseconds(dist(rng)));
}

}  // namespace
}  // namespace postgres

using postgres::Failure;
using postgres::FailureKind;
using postgres::Slot;

Result<std::unique_ptr<PgStore>> PgStore::Open(const PgOptions& options) {
  if (options.dsn.empty()) {
    return Error(errors::kInternalError,
                 "postgresql store: no database given (--database)");
  }
  const std::string where = postgres::RedactDsn(options.dsn);
  if (options.pool_size < 1) {
    return Error(errors::kInternalError,
                 "postgresql store: pool_size must be at least 1");
  }
  if (options.max_write_attempts < 1) {
    return Error(errors::kInternalError,
                 "postgresql store: max_write_attempts must be at least 1");
  }
  if (options.master_key_file.empty()) {
    return Error(errors::kInternalError,
                 "database " + where +
                     ": the PostgreSQL store needs a master key file "
                     "(--master-key-file or SWASD_MASTER_KEY_FILE); it is "
                     "created on first use and every node of the database "
                     "must use the same one");
  }
  const std::string dsn = postgres::WithDefaultParam(
      postgres::WithDefaultParam(options.dsn, "connect_timeout",
                                 std::to_string(options.connect_timeout_s)),
      "application_name", "swasd");

  auto for_operator = [&](const Error& e) {
    return Error(e.code(), e.http_status(),
                 "cannot open database " + where + ": " +
                     (e.internal_cause().empty() ? e.message()
                                                 : e.internal_cause()))
        .WithCause(e.internal_cause());
  };

  auto slot = std::make_unique<Slot>();
  if (Status s = postgres::ConnectSlot(*slot, dsn); !s.ok()) {
    return for_operator(s.error());
  }
  Result<std::string> key = Error(errors::kInternalError);
  try {
    pqxx::work tx(*slot->conn);
    Result<int> version = postgres::Migrate(tx, where);
    if (!version.ok()) return std::move(version).error();
    key = postgres::LoadMasterKey(tx, options.master_key_file, where);
    if (!key.ok()) return std::move(key).error();
    tx.commit();
  } catch (...) {
    return for_operator(postgres::Classify(std::current_exception(), "migrate",
                                           slot->conn.get())
                            .error);
  }
  return std::unique_ptr<PgStore>(
      new PgStore(options, dsn, std::move(*key), std::move(slot)));
}

PgStore::PgStore(const PgOptions& options, std::string dsn,
                 std::string master_key, std::unique_ptr<Slot> first)
    : options_(options), dsn_(std::move(dsn)),
      master_key_(std::move(master_key)) {
  slots_.push_back(std::move(first));
  while (static_cast<int>(slots_.size()) < options_.pool_size) {
    slots_.push_back(std::make_unique<Slot>());
  }
  // The connected one is handed out first.
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) {
    idle_.push_back(it->get());
  }
}

PgStore::~PgStore() = default;

Result<Slot*> PgStore::Acquire() {
  Slot* slot;
  {
    MutexLock lock(&mu_);
    const auto deadline =
        std::chrono::steady_clock::now() +
        std::chrono::milliseconds(options_.acquire_timeout_ms);
    while (idle_.empty()) {
      if (!mu_.WaitUntil(free_, deadline) && idle_.empty()) {
        return Error(errors::kServiceUnavailable)
            .WithCause("postgresql: no free connection within " +
                       std::to_string(options_.acquire_timeout_ms) + " ms");
      }
    }
    slot = idle_.back();
    idle_.pop_back();
  }
  if (!slot->connected()) {
    if (Status s = postgres::ConnectSlot(*slot, dsn_); !s.ok()) {
      Release(slot);
      return std::move(s).error();
    }
  }
  return slot;
}

void PgStore::Release(Slot* slot) {
  {
    MutexLock lock(&mu_);
    idle_.push_back(slot);
  }
  free_.notify_one();
}

template <typename Txn>
Status PgStore::Attempt(Slot* slot, const std::function<Status(Tx&)>& fn,
                        bool commit, int* kind) {
  // kind: -1 when the attempt ended without a storage failure, else the
  // FailureKind; the returned Status is then that failure's error.
  *kind = -1;
  const char* stage = "BEGIN";
  try {
    Txn txn(*slot->conn);
    postgres::PgTx tx(txn, master_key_);
    stage = "transaction";
    Status s = fn(tx);
    if (!tx.failure()) {
      if (s.ok() && commit) {
        stage = "COMMIT";
        txn.commit();
        return s;
      }
      // An error from fn, or a snapshot with nothing to commit. A failing
      // rollback changes nothing: the server discards the transaction.
      try {
        txn.abort();
      } catch (...) {
        Failure f = postgres::Classify(std::current_exception(), "ROLLBACK",
                                       slot->conn.get());
        if (f.kind == FailureKind::kBroken) slot->Drop();
      }
      return s;
    }
    const Failure& f = *tx.failure();
    *kind = static_cast<int>(f.kind);
    Error e = f.error;
    try {
      txn.abort();
    } catch (...) {
      // Already failed; the failure recorded above is the one that counts.
    }
    return e;
  } catch (...) {
    Failure f =
        postgres::Classify(std::current_exception(), stage, slot->conn.get());
    *kind = static_cast<int>(f.kind);
    return std::move(f.error);
  }
}

Status PgStore::Run(const std::function<Status(Tx&)>& fn, bool write) {
  int reconnects = 0;
  for (int attempt = 1;; ++attempt) {
    // The gate first, then a connection: a writer waiting for the gate
    // holds no connection that readers could use.
    std::optional<MutexLock> gate;
    if (write) gate.emplace(&write_gate_);
    SWASD_ASSIGN_OR_RETURN(Slot* slot, Acquire());
    int kind;
    Status s =
        write ? Attempt<pqxx::transaction<pqxx::serializable, pqxx::read_write>>(
                    slot, fn, /*commit=*/true, &kind)
              : Attempt<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(
                    slot, fn, /*commit=*/false, &kind);
    gate.reset();
    const bool lost = kind == static_cast<int>(FailureKind::kBroken) ||
                      kind == static_cast<int>(FailureKind::kInDoubt) ||
                      (slot->conn && !slot->conn->is_open());
    if (lost) {
      slot->Drop();
      // When one connection broke (a server restart, a network cut), the
      // idle ones most likely did too: reconnect them on next use rather
      // than fail a request on each.
      MutexLock lock(&mu_);
      for (Slot* idle : idle_) idle->Drop();
    }
    Release(slot);
    switch (kind) {
      case -1:
        return s;
      case static_cast<int>(FailureKind::kRetry):
        if (attempt >= options_.max_write_attempts) {
          Error e = std::move(s).error();
          return Error(errors::kServiceUnavailable)
              .WithCause("postgresql: gave up after " +
                         std::to_string(attempt) +
                         " attempts: " + e.internal_cause());
        }
        postgres::Backoff(attempt);
        continue;
      case static_cast<int>(FailureKind::kBroken):
        // Nothing was committed: run the work once more on a fresh
        // connection. If the server is down, Acquire fails fast.
        if (++reconnects > 1) return s;
        continue;
      default:  // kInDoubt: must not run twice; kOther: a real error.
        return s;
    }
  }
}

Status PgStore::Write(const std::function<Status(Tx&)>& fn) {
  const auto began = std::chrono::steady_clock::now();
  Status s = Run(fn, /*write=*/true);
  if (s.ok()) NotifyCommit(1, began);
  return s;
}

Status PgStore::Read(const std::function<Status(Tx&)>& fn) {
  return Run(fn, /*write=*/false);
}

}  // namespace swasd::store
