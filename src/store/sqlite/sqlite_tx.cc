#include "store/sqlite/sqlite_tx.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "base/crypto.h"
#include "base/errors.h"

namespace swasd::store::sqlite {
namespace {

std::string_view PrincipalTypeName(PrincipalType t) {
  return t == PrincipalType::kRoot ? "root" : "ram_user";
}

Account ReadAccount(const Statement& stmt) {
  return Account{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2)};
}

// The first column of every row `stmt` yields, as text.
Result<std::vector<std::string>> FirstColumn(Statement& stmt) {
  std::vector<std::string> out;
  for (;;) {
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(stmt.ColumnText(0));
  }
}

// The columns ReadIdempotency reads, in its order.
constexpr char kSelectIdempotency[] =
    "SELECT account_id, action, token, params_hash, http_status, response, "
    "created_at FROM idempotency";

IdempotencyRecord ReadIdempotency(const Statement& stmt) {
  return IdempotencyRecord{stmt.ColumnText(0),
                           stmt.ColumnText(1),
                           stmt.ColumnText(2),
                           stmt.ColumnText(3),
                           static_cast<int>(stmt.ColumnInt(4)),
                           stmt.ColumnText(5),
                           stmt.ColumnInt(6)};
}

constexpr char kResourceColumns[] =
    "kind, id, account_id, region_id, name, parent_id, flag, created_at, doc";

Resource ReadResource(const Statement& stmt) {
  Resource r;
  r.kind = stmt.ColumnText(0);
  r.id = stmt.ColumnText(1);
  r.account_id = stmt.ColumnText(2);
  r.region_id = stmt.ColumnText(3);
  r.name = stmt.ColumnText(4);
  r.parent_id = stmt.ColumnText(5);
  r.flag = stmt.ColumnInt(6);
  r.created_at = stmt.ColumnInt(7);
  r.doc = stmt.ColumnText(8);
  return r;
}

std::string JsonArray(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false,
                                nlohmann::json::error_handler_t::replace);
}

// The WHERE clause of a ResourceQuery. Only the filters present appear, so
// there are at most 2^7 statement texts (the connection caches each) and
// every one can use an index. Parameters: ?1 kind, ?2 account, ?3 region,
// ?4 ids (JSON array), ?5 names (JSON array), ?6 parent, ?7 flag,
// ?10 created_from, ?11 created_before (?8, ?9 are LIMIT and OFFSET).
std::string ResourceWhere(const ResourceQuery& q) {
  std::string w = " WHERE kind = ?1 AND account_id = ?2";
  if (q.region_id) w += " AND region_id = ?3";
  if (!q.ids.empty()) w += " AND id IN (SELECT value FROM json_each(?4))";
  if (!q.names.empty()) w += " AND name IN (SELECT value FROM json_each(?5))";
  if (q.parent_id) w += " AND parent_id = ?6";
  if (q.flag) w += " AND flag = ?7";
  if (q.created_from) w += " AND created_at >= ?10";
  if (q.created_before) w += " AND created_at < ?11";
  return w;
}

void BindResourceQuery(Statement& stmt, const ResourceQuery& q) {
  stmt.Bind(1, q.kind).Bind(2, q.account_id);
  if (q.region_id) stmt.Bind(3, *q.region_id);
  if (!q.ids.empty()) stmt.Bind(4, JsonArray(q.ids));
  if (!q.names.empty()) stmt.Bind(5, JsonArray(q.names));
  if (q.parent_id) stmt.Bind(6, *q.parent_id);
  if (q.flag) stmt.Bind(7, *q.flag);
  if (q.created_from) stmt.Bind(10, *q.created_from);
  if (q.created_before) stmt.Bind(11, *q.created_before);
}

}  // namespace

Result<std::optional<Account>> SqliteTx::GetAccount(std::string_view id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT account_id, name, created_at FROM accounts "
                    "WHERE account_id = ?1"));
  stmt.Bind(1, id);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(ReadAccount(stmt));
}

Status SqliteTx::InsertAccount(const Account& account) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO accounts (account_id, name, created_at) "
                    "VALUES (?1, ?2, ?3)"));
  stmt.Bind(1, account.account_id)
      .Bind(2, account.name)
      .Bind(3, account.created_at);
  return stmt.Run();
}

Result<std::vector<Account>> SqliteTx::ListAccounts() {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT account_id, name, created_at FROM accounts "
                    "ORDER BY rowid"));
  std::vector<Account> out;
  for (;;) {
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadAccount(stmt));
  }
}

Result<bool> SqliteTx::DeleteAccount(std::string_view id) {
  if (Result<int64_t> r = DeleteAccountResources(id); !r.ok()) return r.error();
  for (const char* sql : {"DELETE FROM access_keys WHERE account_id = ?1",
                          "DELETE FROM accounts WHERE account_id = ?1"}) {
    SWASD_ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
    stmt.Bind(1, id);
    SWASD_RETURN_IF_ERROR(stmt.Run());
  }
  return conn_.Changes() > 0;
}

Result<AccessKey> SqliteTx::ReadAccessKey(const Statement& stmt) const {
  AccessKey key;
  key.access_key_id = stmt.ColumnText(0);
  // The id is the associated data, so a sealed secret moved to another
  // key's row does not open.
  std::optional<std::string> secret =
      crypto::Open(master_key_, stmt.ColumnBlob(1), key.access_key_id);
  if (!secret) {
    return Error(errors::kInternalError)
        .WithCause("sqlite: the secret of AccessKey " + key.access_key_id +
                   " does not open under master.key");
  }
  key.secret = std::move(*secret);
  key.account_id = stmt.ColumnText(2);
  key.principal_type = stmt.ColumnText(3) == "root" ? PrincipalType::kRoot
                                                    : PrincipalType::kRamUser;
  key.principal_name = stmt.ColumnText(4);
  key.active = stmt.ColumnInt(5) != 0;
  key.created_at = stmt.ColumnInt(6);
  return key;
}

Result<std::optional<AccessKey>> SqliteTx::GetAccessKey(std::string_view id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT access_key_id, sealed_secret, account_id, "
                    "principal_type, principal_name, active, created_at "
                    "FROM access_keys WHERE access_key_id = ?1"));
  stmt.Bind(1, id);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<AccessKey>();
  SWASD_ASSIGN_OR_RETURN(AccessKey key, ReadAccessKey(stmt));
  return std::optional<AccessKey>(std::move(key));
}

Status SqliteTx::InsertAccessKey(const AccessKey& key) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO access_keys (access_key_id, sealed_secret, "
                    "account_id, principal_type, principal_name, active, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  stmt.Bind(1, key.access_key_id)
      .BindBlob(2, crypto::Seal(master_key_, key.secret, key.access_key_id))
      .Bind(3, key.account_id)
      .Bind(4, PrincipalTypeName(key.principal_type))
      .Bind(5, key.principal_name)
      .Bind(6, int64_t{key.active ? 1 : 0})
      .Bind(7, key.created_at);
  return stmt.Run();
}

Result<bool> SqliteTx::SetAccessKeyActive(std::string_view id, bool active) {
  SWASD_ASSIGN_OR_RETURN(Statement stmt,
                         conn_.Prepare("UPDATE access_keys SET active = ?2 "
                                       "WHERE access_key_id = ?1"));
  stmt.Bind(1, id).Bind(2, int64_t{active ? 1 : 0});
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

Result<bool> SqliteTx::DeleteAccessKey(std::string_view id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("DELETE FROM access_keys WHERE access_key_id = ?1"));
  stmt.Bind(1, id);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

Result<std::optional<std::string>> SqliteTx::GetSecret(std::string_view name) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt, conn_.Prepare("SELECT sealed FROM secrets WHERE name = ?1"));
  stmt.Bind(1, name);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<std::string>();
  auto plain = crypto::Open(master_key_, stmt.ColumnBlob(0),
                            "secret:" + std::string(name));
  if (!plain) {
    return Error(errors::kInternalError)
        .WithCause("secret " + std::string(name) + " does not open with master.key");
  }
  return std::optional<std::string>(std::move(*plain));
}

Status SqliteTx::PutSecret(std::string_view name, std::string_view value) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT OR REPLACE INTO secrets (name, sealed) VALUES (?1, ?2)"));
  stmt.Bind(1, name).BindBlob(
      2, crypto::Seal(master_key_, value, "secret:" + std::string(name)));
  return stmt.Run();
}

Result<std::vector<std::string>> SqliteTx::ListSecretNames() {
  SWASD_ASSIGN_OR_RETURN(Statement stmt,
                         conn_.Prepare("SELECT name FROM secrets ORDER BY name"));
  return FirstColumn(stmt);
}

Result<std::vector<AccessKey>> SqliteTx::ListAccessKeys(
    std::string_view account_id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT access_key_id, sealed_secret, account_id, "
                    "principal_type, principal_name, active, created_at "
                    "FROM access_keys WHERE account_id = ?1 ORDER BY rowid"));
  stmt.Bind(1, account_id);
  std::vector<AccessKey> out;
  for (;;) {
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    SWASD_ASSIGN_OR_RETURN(AccessKey key, ReadAccessKey(stmt));
    out.push_back(std::move(key));
  }
}

Result<bool> SqliteTx::ClaimNonce(std::string_view access_key_id,
                                  std::string_view nonce, int64_t now,
                                  int64_t expires_at) {
  // One statement: a fresh pair inserts; an expired pair is taken over by
  // the upsert; a live pair matches the WHERE of neither, changing no row.
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT INTO nonces (access_key_id, nonce, expires_at) "
                    "VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (access_key_id, nonce) DO UPDATE "
                    "SET expires_at = excluded.expires_at "
                    "WHERE nonces.expires_at <= ?4"));
  stmt.Bind(1, access_key_id).Bind(2, nonce).Bind(3, expires_at).Bind(4, now);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

Result<int64_t> SqliteTx::PurgeNonces(int64_t now) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("DELETE FROM nonces WHERE expires_at <= ?1"));
  stmt.Bind(1, now);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes();
}

Result<std::optional<IdempotencyRecord>> SqliteTx::GetIdempotency(
    std::string_view account_id, std::string_view action,
    std::string_view token) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(std::string(kSelectIdempotency) +
                    " WHERE account_id = ?1 AND action = ?2 AND token = ?3"));
  stmt.Bind(1, account_id).Bind(2, action).Bind(3, token);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(ReadIdempotency(stmt));
}

Status SqliteTx::PutIdempotency(const IdempotencyRecord& record) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("INSERT OR REPLACE INTO idempotency (account_id, action, "
                    "token, params_hash, http_status, response, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  stmt.Bind(1, record.account_id)
      .Bind(2, record.action)
      .Bind(3, record.token)
      .Bind(4, record.params_hash)
      .Bind(5, int64_t{record.http_status})
      .Bind(6, record.response)
      .Bind(7, record.created_at);
  return stmt.Run();
}

Result<int64_t> SqliteTx::PurgeIdempotency(int64_t cutoff) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("DELETE FROM idempotency WHERE created_at < ?1"));
  stmt.Bind(1, cutoff);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes();
}

Result<std::vector<IdempotencyRecord>> SqliteTx::ListIdempotency(
    std::string_view account_id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(std::string(kSelectIdempotency) +
                    " WHERE account_id = ?1 ORDER BY created_at, action, token"));
  stmt.Bind(1, account_id);
  std::vector<IdempotencyRecord> out;
  for (;;) {
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadIdempotency(stmt));
  }
}

Result<std::optional<Resource>> SqliteTx::GetResource(
    std::string_view kind, std::string_view account_id, std::string_view id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(std::string("SELECT ") + kResourceColumns +
                    " FROM resources WHERE kind = ?1 AND id = ?2 AND "
                    "account_id = ?3"));
  stmt.Bind(1, kind).Bind(2, id).Bind(3, account_id);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Resource>();
  return std::optional<Resource>(ReadResource(stmt));
}

Status SqliteTx::PutResource(const Resource& r) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(std::string("INSERT INTO resources (") + kResourceColumns +
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                    "ON CONFLICT (kind, id) DO UPDATE SET "
                    "region_id = excluded.region_id, name = excluded.name, "
                    "parent_id = excluded.parent_id, flag = excluded.flag, "
                    "created_at = excluded.created_at, doc = excluded.doc "
                    "WHERE resources.account_id = excluded.account_id"));
  stmt.Bind(1, r.kind)
      .Bind(2, r.id)
      .Bind(3, r.account_id)
      .Bind(4, r.region_id)
      .Bind(5, r.name)
      .Bind(6, r.parent_id)
      .Bind(7, r.flag)
      .Bind(8, r.created_at)
      .Bind(9, r.doc);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  if (conn_.Changes() == 0) {
    return Error(errors::kInternalError)
        .WithCause("resource " + r.kind + " " + r.id +
                   " exists under another account");
  }
  return Status::Ok();
}

Result<bool> SqliteTx::DeleteResource(std::string_view kind,
                                      std::string_view account_id,
                                      std::string_view id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("DELETE FROM resources WHERE kind = ?1 AND id = ?2 AND "
                    "account_id = ?3"));
  stmt.Bind(1, kind).Bind(2, id).Bind(3, account_id);
  SWASD_RETURN_IF_ERROR(stmt.Run());
  return conn_.Changes() > 0;
}

Result<std::vector<Resource>> SqliteTx::ListResources(const ResourceQuery& q) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare(std::string("SELECT ") + kResourceColumns +
                    " FROM resources" + ResourceWhere(q) +
                    (q.newest_first ? " ORDER BY created_at DESC, id DESC"
                                    : " ORDER BY created_at, id") +
                    " LIMIT ?8 OFFSET ?9"));
  BindResourceQuery(stmt, q);
  stmt.Bind(8, q.limit).Bind(9, q.offset);
  std::vector<Resource> out;
  while (true) {
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadResource(stmt));
  }
  return out;
}

Result<int64_t> SqliteTx::CountResources(const ResourceQuery& q) {
  if (q.ids.empty() && q.names.empty() && !q.parent_id && !q.created_from &&
      !q.created_before) {
    // Only counted columns filter: sum the maintained counts (migration 4)
    // -- a handful of rows, however many resources match.
    std::string sql =
        "SELECT COALESCE(SUM(n), 0) FROM resource_counts "
        "WHERE kind = ?1 AND account_id = ?2";
    if (q.region_id) sql += " AND region_id = ?3";
    if (q.flag) sql += " AND flag = ?7";
    SWASD_ASSIGN_OR_RETURN(Statement stmt, conn_.Prepare(sql));
    BindResourceQuery(stmt, q);
    SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.ColumnInt(0) : 0;
  }
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT COUNT(*) FROM resources" + ResourceWhere(q)));
  BindResourceQuery(stmt, q);
  SWASD_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt(0) : 0;
}

Result<std::vector<std::string>> SqliteTx::ListResourceKinds(
    std::string_view account_id) {
  SWASD_ASSIGN_OR_RETURN(
      Statement stmt,
      conn_.Prepare("SELECT DISTINCT kind FROM resources WHERE account_id = ?1 "
                    "ORDER BY kind"));
  stmt.Bind(1, account_id);
  return FirstColumn(stmt);
}

Result<int64_t> SqliteTx::DeleteAccountResources(std::string_view account_id) {
  // The count triggers (migration 4) keep resource_counts right.
  SWASD_ASSIGN_OR_RETURN(
      Statement resources,
      conn_.Prepare("DELETE FROM resources WHERE account_id = ?1"));
  resources.Bind(1, account_id);
  SWASD_RETURN_IF_ERROR(resources.Run());
  const int64_t removed = conn_.Changes();
  SWASD_ASSIGN_OR_RETURN(
      Statement tokens,
      conn_.Prepare("DELETE FROM idempotency WHERE account_id = ?1"));
  tokens.Bind(1, account_id);
  SWASD_RETURN_IF_ERROR(tokens.Run());
  return removed;
}

}  // namespace swasd::store::sqlite
