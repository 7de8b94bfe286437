// The PostgreSQL implementation of store::Tx: every method is one
// parameterized statement in the unit of work's transaction. Internal to
// store/postgres.
//
// Statements that SQLite lets fail without ending the transaction (a
// duplicate InsertAccount, a PutResource onto another account's id) are
// written so that PostgreSQL does not raise either (ON CONFLICT ... with
// the rows affected checked), so a caller that goes on after such an error
// sees the same transaction it would see on SQLite. Any other failure
// aborts the PostgreSQL transaction: it is remembered (failure()), every
// later call returns it, and PgStore decides from it whether to re-run the
// unit of work.
#ifndef SWASD_STORE_POSTGRES_PG_TX_H_
#define SWASD_STORE_POSTGRES_PG_TX_H_

#include <optional>
#include <string_view>

#include "store/postgres/pg_common.h"
#include "store/store.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace swasd::store::postgres {

class PgTx final : public Tx {
 public:
  // REQUIRES: `tx` and `master_key` outlive this Tx.
  PgTx(pqxx::transaction_base& tx, std::string_view master_key)
      : tx_(tx), master_key_(master_key) {}

  // The first statement failure, if any.
  const std::optional<Failure>& failure() const { return failure_; }

  Result<std::optional<Account>> GetAccount(std::string_view id) override;
  Status InsertAccount(const Account& account) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<bool> DeleteAccount(std::string_view id) override;

  Result<std::optional<AccessKey>> GetAccessKey(std::string_view id) override;
  Status InsertAccessKey(const AccessKey& key) override;
  Result<bool> SetAccessKeyActive(std::string_view id, bool active) override;
  Result<std::vector<AccessKey>> ListAccessKeys(
      std::string_view account_id) override;
  Result<bool> DeleteAccessKey(std::string_view id) override;

  Result<std::optional<std::string>> GetSecret(std::string_view name) override;
  Status PutSecret(std::string_view name, std::string_view value) override;
  Result<std::vector<std::string>> ListSecretNames() override;

  Result<bool> ClaimNonce(std::string_view access_key_id,
                          std::string_view nonce, int64_t now,
                          int64_t expires_at) override;
  Result<int64_t> PurgeNonces(int64_t now) override;

  Result<std::optional<IdempotencyRecord>> GetIdempotency(
      std::string_view account_id, std::string_view action,
      std::string_view token) override;
  Status PutIdempotency(const IdempotencyRecord& record) override;
  Result<int64_t> PurgeIdempotency(int64_t cutoff) override;
  Result<std::vector<IdempotencyRecord>> ListIdempotency(
      std::string_view account_id) override;

  Result<std::optional<Resource>> GetResource(std::string_view kind,
                                              std::string_view account_id,
                                              std::string_view id) override;
  Status PutResource(const Resource& resource) override;
  Result<bool> DeleteResource(std::string_view kind,
                              std::string_view account_id,
                              std::string_view id) override;
  Result<std::vector<Resource>> ListResources(
      const ResourceQuery& query) override;
  Result<int64_t> CountResources(const ResourceQuery& query) override;
  Result<std::vector<std::string>> ListResourceKinds(
      std::string_view account_id) override;
  Result<int64_t> DeleteAccountResources(std::string_view account_id) override;

 private:
  // Runs `fn` (which issues statements on tx_) unless an earlier statement
  // failed; turns a thrown exception into the remembered failure.
  template <typename T, typename F>
  Result<T> Run(std::string_view what, F&& fn);

  pqxx::transaction_base& tx_;
  const std::string_view master_key_;
  std::optional<Failure> failure_;
};

}  // namespace swasd::store::postgres

#endif  // SWASD_STORE_POSTGRES_PG_TX_H_
