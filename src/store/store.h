// The storage interfaces. A Store runs units of work (transactions) against
// durable state; a Tx is one such unit. Implementations: store/sqlite (the
// embedded default), store/postgres (one database shared by any number of
// nodes) and store/faulty (a fault-injecting wrapper around either).
// Domain code sees only these interfaces.
//
// Thread safety: Store is thread-safe. A Tx is used by the one thread that
// runs the callback and must not escape it.
//
// Durability: Write() returns OK only after the transaction is durable
// (on disk, fsync'd). A callback that returns an error rolls back.
#ifndef SWASD_STORE_STORE_H_
#define SWASD_STORE_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace swasd::store {

// A tenant. account_id is a 16-digit decimal string, as Alibaba's.
struct Account {
  std::string account_id;
  std::string name;
  int64_t created_at = 0;  // unix seconds
};

// Who an AccessKey authenticates as.
enum class PrincipalType { kRoot, kRamUser };

struct AccessKey {
  std::string access_key_id;
  // The plaintext secret. In memory only: implementations keep it sealed at
  // rest (see docs/architecture.md, "Secrets at rest").
  std::string secret;
  std::string account_id;
  PrincipalType principal_type = PrincipalType::kRoot;
  std::string principal_name;  // RAM user name; empty for root
  bool active = true;
  int64_t created_at = 0;
};

// A remembered ClientToken: what the first call with that token asked for
// (params_hash) and answered (response). Keyed by (account, action, token).
struct IdempotencyRecord {
  std::string account_id;
  std::string action;  // "swas-open:CreateInstances"
  std::string token;
  std::string params_hash;  // hex SHA-256 of the canonical business params
  int http_status = 200;
  std::string response;  // the JSON body the first call answered, minus RequestId
  int64_t created_at = 0;
};

// A product resource (SWAS instance, disk, snapshot, custom image; ECS
// instance, disk ...). The store indexes the columns products filter and
// page by; everything else is the product's own JSON document, so adding a
// field needs no migration. Resources are always scoped to an account.
struct Resource {
  std::string kind;        // "swas.image", "swas.instance", "ecs.disk" ...
  std::string id;          // unique per kind, across accounts
  std::string account_id;
  std::string region_id;
  std::string name;
  std::string parent_id;   // e.g. a disk's instance, a snapshot's disk
  int64_t flag = 0;        // one kind-specific indexed flag (image: InShare)
  int64_t created_at = 0;  // unix milliseconds; lists are ordered by it, then id
  std::string doc;         // JSON object with the remaining fields
};

// A filter over one kind of resource in one account. Empty vectors and
// nullopt mean "any". Results are ordered by (created_at, id), or the
// reverse with newest_first.
struct ResourceQuery {
  std::string kind;
  std::string account_id;
  std::optional<std::string> region_id;
  std::vector<std::string> ids;    // id IN (...)
  std::vector<std::string> names;  // name IN (...)
  std::optional<std::string> parent_id;
  std::optional<int64_t> flag;
  // created_at in [created_from, created_before) (unix milliseconds).
  std::optional<int64_t> created_from;
  std::optional<int64_t> created_before;
  bool newest_first = false;  // ORDER BY created_at DESC, id DESC
  int64_t offset = 0;
  int64_t limit = -1;  // -1: no limit
};

class Tx {
 public:
  virtual ~Tx() = default;

  // --- Accounts -----------------------------------------------------------
  // Returns nullopt when absent.
  virtual Result<std::optional<Account>> GetAccount(std::string_view id) = 0;
  // Fails (InternalError) if the id exists.
  virtual Status InsertAccount(const Account& account) = 0;
  // Every account, in insertion order. The first one is the root
  // (operator) account; see store/accounts.h.
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  // Removes the account and everything it owns: its AccessKeys (root and
  // RAM users'), resources and ClientToken records. Returns false when no
  // such account exists. Signature nonces are left to expire.
  virtual Result<bool> DeleteAccount(std::string_view id) = 0;

  // --- AccessKeys ---------------------------------------------------------
  // Returns nullopt when absent.
  virtual Result<std::optional<AccessKey>> GetAccessKey(std::string_view id) = 0;
  // Fails (InternalError) if the id exists or key.account_id does not.
  virtual Status InsertAccessKey(const AccessKey& key) = 0;
  // Returns false when no such key exists.
  virtual Result<bool> SetAccessKeyActive(std::string_view id, bool active) = 0;
  // The account's keys in insertion order; empty for an unknown account.
  virtual Result<std::vector<AccessKey>> ListAccessKeys(
      std::string_view account_id) = 0;
  // Removes the key. Returns false when no such key exists.
  virtual Result<bool> DeleteAccessKey(std::string_view id) = 0;

  // --- Server secrets --------------------------------------------------------
  // A named secret of the deployment (e.g. "sts-signing-key", the key that
  // signs STS tokens), shared by every node and sealed at rest exactly like
  // AccessKey secrets. Returns nullopt when absent.
  virtual Result<std::optional<std::string>> GetSecret(std::string_view name) = 0;
  // Inserts or replaces.
  virtual Status PutSecret(std::string_view name, std::string_view value) = 0;
  // The names of every secret, sorted.
  virtual Result<std::vector<std::string>> ListSecretNames() = 0;

  // --- Signature nonces ---------------------------------------------------
  // Records `nonce` for `access_key_id` until `expires_at` (unix seconds).
  // Returns false when the same pair is already recorded and not expired
  // at `now` (expires_at > now): the request is a replay. A recorded pair
  // that has expired is overwritten and the claim succeeds.
  virtual Result<bool> ClaimNonce(std::string_view access_key_id,
                                  std::string_view nonce, int64_t now,
                                  int64_t expires_at) = 0;
  // Forgets nonces expired at `now` (expires_at <= now). Returns how many.
  virtual Result<int64_t> PurgeNonces(int64_t now) = 0;

  // --- Product resources ---------------------------------------------------
  // Returns nullopt when no resource of `kind` with `id` belongs to
  // `account_id` (another account's resource is indistinguishable from a
  // missing one).
  virtual Result<std::optional<Resource>> GetResource(
      std::string_view kind, std::string_view account_id,
      std::string_view id) = 0;
  // Inserts or replaces (kind, id). Fails (InternalError) if (kind, id)
  // exists under another account.
  virtual Status PutResource(const Resource& resource) = 0;
  // Returns false when there was nothing to delete.
  virtual Result<bool> DeleteResource(std::string_view kind,
                                      std::string_view account_id,
                                      std::string_view id) = 0;
  // Matching resources, ordered by (created_at, id), offset/limit applied.
  virtual Result<std::vector<Resource>> ListResources(
      const ResourceQuery& query) = 0;
  // How many match `query`, ignoring its offset and limit.
  virtual Result<int64_t> CountResources(const ResourceQuery& query) = 0;
  // The kinds of which `account_id` owns at least one resource, sorted.
  // With ListResources, how state is enumerated whole (export, reset).
  virtual Result<std::vector<std::string>> ListResourceKinds(
      std::string_view account_id) = 0;
  // Removes every resource and ClientToken record of `account_id`, keeping
  // the account and its AccessKeys. Returns how many resources went.
  virtual Result<int64_t> DeleteAccountResources(std::string_view account_id) = 0;

  // --- ClientToken idempotency ---------------------------------------------
  // Returns nullopt when absent.
  virtual Result<std::optional<IdempotencyRecord>> GetIdempotency(
      std::string_view account_id, std::string_view action,
      std::string_view token) = 0;
  // Inserts the record, replacing any with the same (account_id, action,
  // token).
  virtual Status PutIdempotency(const IdempotencyRecord& record) = 0;
  // Forgets records created before `cutoff` (created_at < cutoff). Returns
  // how many.
  virtual Result<int64_t> PurgeIdempotency(int64_t cutoff) = 0;
  // The account's records, ordered by (created_at, action, token).
  virtual Result<std::vector<IdempotencyRecord>> ListIdempotency(
      std::string_view account_id) = 0;
};

// Told about every transaction a store commits, for metrics (/metrics).
// Called on the committing thread right after a successful COMMIT; must be
// cheap and thread-safe.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // writes: the Write/WriteThen calls the transaction committed (SQLite's
  // group commit batches several; otherwise 1). took: from BEGIN to the end
  // of COMMIT (PostgreSQL: of the whole Write, retries included).
  virtual void OnCommit(size_t writes, std::chrono::nanoseconds took) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // `observer` (nullptr: none; must outlive its use) is told about every
  // transaction this store commits from now on. A wrapper (store/faulty)
  // does not forward it: set it on the store that commits.
  void SetCommitObserver(CommitObserver* observer) {
    commit_observer_.store(observer, std::memory_order_release);
  }

  // Runs `fn` in a read-write transaction, serialized with every other
  // writer (in this process and, for SQLite, others on the same file).
  // Commits when fn returns OK, durably, before Write returns; rolls back
  // otherwise and returns fn's error. Storage failures come back as
  // InternalError (cause attached with WithCause) or ServiceUnavailable
  // when the store is temporarily unreachable.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;

  // Runs `first` and, only if it succeeded, `then`: two units of work, each
  // with Write's contract, where `then` failing (error or exception) rolls
  // back only `then` -- `first` still commits. Returns first's error when
  // it failed (then does not run), else then's result. Both are durable
  // before WriteThen returns OK. On a storage failure (InternalError,
  // ServiceUnavailable) either may have been lost.
  // Why: a request's signature-nonce claim must commit even when the
  // mutation it authorizes fails, yet should share the mutation's fsync.
  // This default is two Writes; a store may commit both in one transaction
  // (SqliteStore does).
  virtual Status WriteThen(const std::function<Status(Tx&)>& first,
                           const std::function<Status(Tx&)>& then) {
    SWASD_RETURN_IF_ERROR(Write(first));
    return Write(then);
  }

  // The asynchronous forms of Write and WriteThen: the same work and the
  // same contracts, but the caller does not wait. `done` is called exactly
  // once with what Write/WriteThen would have returned, only after the
  // transaction is durable (or failed); an exception thrown by the work
  // becomes InternalError. Where `done` runs depends on the store: with
  // AsyncWrites() it runs on the store's writer thread, so it must be quick
  // and must not block on this store's writes (it may call WriteAsync);
  // these defaults run the synchronous form on the caller's thread and call
  // `done` before returning (an exception propagates to the caller).
  // Why: a request that waits for a commit keeps its connection waiting,
  // not a thread (docs/architecture.md, "Request path").
  using WriteDone = std::function<void(Status)>;
  virtual void WriteAsync(std::function<Status(Tx&)> fn, WriteDone done) {
    done(Write(fn));
  }
  virtual void WriteThenAsync(std::function<Status(Tx&)> first,
                              std::function<Status(Tx&)> then, WriteDone done) {
    done(WriteThen(first, then));
  }
  // True when WriteAsync never blocks its caller on a commit (and Read is
  // local and quick), so callers may use the store from an event loop.
  virtual bool AsyncWrites() const { return false; }
  // Returns once every WriteAsync/WriteThenAsync accepted before the call
  // has completed and its `done` has returned (shutdown).
  virtual void Drain() {}

  // Runs `fn` against a consistent snapshot. Writes inside fn are a bug.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;

  // A short name for logs and /healthz ("sqlite").
  virtual std::string_view Backend() const = 0;
  // False for a store whose state dies with the process (SQLite in memory,
  // swasd --ephemeral): /healthz says so.
  virtual bool Durable() const { return true; }

 protected:
  // For implementations: reports a committed transaction that began at
  // `began` to the observer, if any.
  void NotifyCommit(size_t writes,
                    std::chrono::steady_clock::time_point began) const {
    if (CommitObserver* o = commit_observer_.load(std::memory_order_acquire)) {
      o->OnCommit(writes, std::chrono::steady_clock::now() - began);
    }
  }

 private:
  std::atomic<CommitObserver*> commit_observer_{nullptr};
};

}  // namespace swasd::store

#endif  // SWASD_STORE_STORE_H_
