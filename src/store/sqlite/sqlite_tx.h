// The SQLite implementation of store::Tx: every method is one cached
// statement on the transaction's connection. Internal to store/sqlite.
#ifndef SWASD_STORE_SQLITE_SQLITE_TX_H_
#define SWASD_STORE_SQLITE_SQLITE_TX_H_

#include <string_view>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace swasd::store::sqlite {

class SqliteTx final : public Tx {
 public:
  // REQUIRES: `conn` is inside a transaction and, like `master_key`,
  // outlives this Tx.
  SqliteTx(Connection& conn, std::string_view master_key)
      : conn_(conn), master_key_(master_key) {}

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
  // Reads the AccessKey at the statement's current row (the column order
  // of the access_keys SELECTs), opening its sealed secret.
  Result<AccessKey> ReadAccessKey(const Statement& stmt) const;

  Connection& conn_;
  const std::string_view master_key_;
};

}  // namespace swasd::store::sqlite

#endif  // SWASD_STORE_SQLITE_SQLITE_TX_H_
