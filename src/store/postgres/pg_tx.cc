#include "store/postgres/pg_tx.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <utility>
#include <variant>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"

namespace swasd::store::postgres {
namespace {

using Params = std::vector<std::string>;

// Text parameters go through EncodeText (see pg_common.h).
std::string T(std::string_view s) { return EncodeText(s); }
std::string I(int64_t v) { return std::to_string(v); }

pqxx::result Exec(pqxx::transaction_base& tx, const std::string& sql,
                  const Params& params) {
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
}

std::string Text(const pqxx::field& f) {
  return DecodeText(std::string_view(f.c_str(), f.size()));
}
int64_t Int(const pqxx::field& f) { return f.as<int64_t>(); }

std::string_view PrincipalTypeName(PrincipalType t) {
  return t == PrincipalType::kRoot ? "root" : "ram_user";
}

Account ReadAccount(const pqxx::row& row) {
  return Account{Text(row[0]), Text(row[1]), Int(row[2])};
}

// The columns ReadIdempotency reads, in its order.
constexpr char kSelectIdempotency[] =
    "SELECT account_id, action, token, params_hash, http_status, response, "
    "created_at FROM idempotency";

IdempotencyRecord ReadIdempotency(const pqxx::row& row) {
  return IdempotencyRecord{Text(row[0]), Text(row[1]),
                           Text(row[2]), Text(row[3]),
                           static_cast<int>(Int(row[4])), Text(row[5]),
                           Int(row[6])};
}

constexpr char kResourceColumns[] =
    "kind, id, account_id, region_id, name, parent_id, flag, created_at, doc";

Resource ReadResource(const pqxx::row& row) {
  Resource r;
  r.kind = Text(row[0]);
  r.id = Text(row[1]);
  r.account_id = Text(row[2]);
  r.region_id = Text(row[3]);
  r.name = Text(row[4]);
  r.parent_id = Text(row[5]);
  r.flag = Int(row[6]);
  r.created_at = Int(row[7]);
  r.doc = Text(row[8]);
  return r;
}

// The WHERE clause of a ResourceQuery and its parameters. Only the filters
// present appear, so each statement can use an index.
std::string ResourceWhere(const ResourceQuery& q, Params* params) {
  params->push_back(T(q.kind));
  params->push_back(T(q.account_id));
  std::string w = " WHERE kind = $1 AND account_id = $2";
  auto add = [&](std::string_view cond, std::string value) {
    params->push_back(std::move(value));
    w += " AND ";
    w += cond;
    w += std::to_string(params->size());
  };
  if (q.region_id) add("region_id = $", T(*q.region_id));
  if (!q.ids.empty()) {
    add("id = ANY($", TextArrayLiteral(q.ids));
    w += "::text[])";
  }
  if (!q.names.empty()) {
    add("name = ANY($", TextArrayLiteral(q.names));
    w += "::text[])";
  }
  if (q.parent_id) add("parent_id = $", T(*q.parent_id));
  if (q.flag) {
    add("flag = $", I(*q.flag));
    w += "::bigint";
  }
  if (q.created_from) {
    add("created_at >= $", I(*q.created_from));
    w += "::bigint";
  }
  if (q.created_before) {
    add("created_at < $", I(*q.created_before));
    w += "::bigint";
  }
  return w;
}

constexpr char kAccessKeyColumns[] =
    "access_key_id, encode(sealed_secret, 'hex'), account_id, "
    "principal_type, principal_name, active, created_at";

template <typename T>
Status ToStatus(Result<T> r) {
  if (!r.ok()) return std::move(r).error();
  return Status::Ok();
}

Result<AccessKey> ReadAccessKey(const pqxx::row& row,
                                std::string_view master_key) {
  AccessKey key;
  key.access_key_id = Text(row[0]);
  std::optional<std::string> sealed =
      HexDecode(std::string_view(row[1].c_str(), row[1].size()));
  // The id is the associated data, so a sealed secret moved to another
  // key's row does not open.
  std::optional<std::string> secret =
      sealed ? crypto::Open(master_key, *sealed, key.access_key_id)
             : std::nullopt;
  if (!secret) {
    return Error(errors::kInternalError)
        .WithCause("postgresql: the secret of AccessKey " + key.access_key_id +
                   " does not open under the master key");
  }
  key.secret = std::move(*secret);
  key.account_id = Text(row[2]);
  key.principal_type = Text(row[3]) == "root" ? PrincipalType::kRoot
                                              : PrincipalType::kRamUser;
  key.principal_name = Text(row[4]);
  key.active = row[5].as<bool>();
  key.created_at = Int(row[6]);
  return key;
}

}  // namespace

template <typename T, typename F>
Result<T> PgTx::Run(std::string_view what, F&& fn) {
  if (failure_) return failure_->error;
  try {
    return fn();
  } catch (...) {
    failure_ = Classify(std::current_exception(), what, &tx_.conn());
    return failure_->error;
  }
}

Result<std::optional<Account>> PgTx::GetAccount(std::string_view id) {
  return Run<std::optional<Account>>("GetAccount", [&] {
    pqxx::result r = Exec(tx_,
                          "SELECT account_id, name, created_at FROM accounts "
                          "WHERE account_id = $1",
                          {T(id)});
    if (r.empty()) return std::optional<Account>();
    return std::optional<Account>(ReadAccount(r[0]));
  });
}

Status PgTx::InsertAccount(const Account& account) {
  return ToStatus(Run<std::monostate>("InsertAccount", [&]() -> Result<std::monostate> {
    pqxx::result r = Exec(tx_,
                          "INSERT INTO accounts (account_id, name, created_at) "
                          "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                          {T(account.account_id), T(account.name),
                           I(account.created_at)});
    if (r.affected_rows() == 0) {
      return Error(errors::kInternalError)
          .WithCause("postgresql: InsertAccount: account " +
                     account.account_id + " exists");
    }
    return std::monostate();
  }));
}

Result<std::vector<Account>> PgTx::ListAccounts() {
  return Run<std::vector<Account>>("ListAccounts", [&] {
    pqxx::result r = Exec(tx_,
                          "SELECT account_id, name, created_at FROM accounts "
                          "ORDER BY seq",
                          {});
    std::vector<Account> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(ReadAccount(row));
    return out;
  });
}

Result<bool> PgTx::DeleteAccount(std::string_view id) {
  return Run<bool>("DeleteAccount", [&] {
    const Params p = {T(id)};
    Exec(tx_, "DELETE FROM resources WHERE account_id = $1", p);
    Exec(tx_, "DELETE FROM idempotency WHERE account_id = $1", p);
    Exec(tx_, "DELETE FROM access_keys WHERE account_id = $1", p);
    pqxx::result r = Exec(tx_, "DELETE FROM accounts WHERE account_id = $1", p);
    return r.affected_rows() > 0;
  });
}

Result<std::optional<AccessKey>> PgTx::GetAccessKey(std::string_view id) {
  return Run<std::optional<AccessKey>>(
      "GetAccessKey", [&]() -> Result<std::optional<AccessKey>> {
        pqxx::result r = Exec(tx_,
                              std::string("SELECT ") + kAccessKeyColumns +
                                  " FROM access_keys WHERE access_key_id = $1",
                              {T(id)});
        if (r.empty()) return std::optional<AccessKey>();
        SWASD_ASSIGN_OR_RETURN(AccessKey key, ReadAccessKey(r[0], master_key_));
        return std::optional<AccessKey>(std::move(key));
      });
}

Status PgTx::InsertAccessKey(const AccessKey& key) {
  return ToStatus(Run<std::monostate>("InsertAccessKey", [&]() -> Result<std::monostate> {
    // The account must exist (as SQLite's foreign key demands) and the id
    // be new; either failing inserts nothing and raises nothing.
    pqxx::result r = Exec(
        tx_,
        "INSERT INTO access_keys (access_key_id, sealed_secret, account_id, "
        "principal_type, principal_name, active, created_at) "
        "SELECT $1, decode($2, 'hex'), $3, $4, $5, $6::boolean, $7 "
        "WHERE EXISTS (SELECT 1 FROM accounts WHERE account_id = $3) "
        "ON CONFLICT DO NOTHING",
        {T(key.access_key_id),
         HexLower(crypto::Seal(master_key_, key.secret, key.access_key_id)),
         T(key.account_id), std::string(PrincipalTypeName(key.principal_type)),
         T(key.principal_name), key.active ? "true" : "false",
         I(key.created_at)});
    if (r.affected_rows() == 0) {
      return Error(errors::kInternalError)
          .WithCause("postgresql: InsertAccessKey: AccessKey " +
                     key.access_key_id + " exists or account " +
                     key.account_id + " does not");
    }
    return std::monostate();
  }));
}

Result<bool> PgTx::SetAccessKeyActive(std::string_view id, bool active) {
  return Run<bool>("SetAccessKeyActive", [&] {
    pqxx::result r = Exec(tx_,
                          "UPDATE access_keys SET active = $2::boolean "
                          "WHERE access_key_id = $1",
                          {T(id), active ? "true" : "false"});
    return r.affected_rows() > 0;
  });
}

Result<std::vector<AccessKey>> PgTx::ListAccessKeys(
    std::string_view account_id) {
  return Run<std::vector<AccessKey>>(
      "ListAccessKeys", [&]() -> Result<std::vector<AccessKey>> {
        pqxx::result r = Exec(tx_,
                              std::string("SELECT ") + kAccessKeyColumns +
                                  " FROM access_keys WHERE account_id = $1 "
                                  "ORDER BY seq",
                              {T(account_id)});
        std::vector<AccessKey> out;
        out.reserve(r.size());
        for (const auto& row : r) {
          SWASD_ASSIGN_OR_RETURN(AccessKey key, ReadAccessKey(row, master_key_));
          out.push_back(std::move(key));
        }
        return out;
      });
}

Result<bool> PgTx::DeleteAccessKey(std::string_view id) {
  return Run<bool>("DeleteAccessKey", [&] {
    pqxx::result r = Exec(
        tx_, "DELETE FROM access_keys WHERE access_key_id = $1", {T(id)});
    return r.affected_rows() > 0;
  });
}

Result<std::optional<std::string>> PgTx::GetSecret(std::string_view name) {
  return Run<std::optional<std::string>>(
      "GetSecret", [&]() -> Result<std::optional<std::string>> {
        pqxx::result r = Exec(tx_,
                              "SELECT encode(sealed, 'hex') FROM secrets "
                              "WHERE name = $1",
                              {T(name)});
        if (r.empty()) return std::optional<std::string>();
        std::optional<std::string> sealed =
            HexDecode(std::string_view(r[0][0].c_str(), r[0][0].size()));
        std::optional<std::string> plain =
            sealed ? crypto::Open(master_key_, *sealed,
                                  "secret:" + std::string(name))
                   : std::nullopt;
        if (!plain) {
          return Error(errors::kInternalError)
              .WithCause("postgresql: secret " + std::string(name) +
                         " does not open under the master key");
        }
        return std::optional<std::string>(std::move(*plain));
      });
}

Status PgTx::PutSecret(std::string_view name, std::string_view value) {
  return ToStatus(Run<std::monostate>("PutSecret", [&] {
    Exec(tx_,
         "INSERT INTO secrets (name, sealed) VALUES ($1, decode($2, 'hex')) "
         "ON CONFLICT (name) DO UPDATE SET sealed = EXCLUDED.sealed",
         {T(name), HexLower(crypto::Seal(master_key_, value,
                                          "secret:" + std::string(name)))});
    return std::monostate();
  }));
}

Result<std::vector<std::string>> PgTx::ListSecretNames() {
  return Run<std::vector<std::string>>("ListSecretNames", [&] {
    pqxx::result r = Exec(tx_, "SELECT name FROM secrets ORDER BY name", {});
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(Text(row[0]));
    return out;
  });
}

Result<bool> PgTx::ClaimNonce(std::string_view access_key_id,
                              std::string_view nonce, int64_t now,
                              int64_t expires_at) {
  return Run<bool>("ClaimNonce", [&] {
    // One statement: a fresh pair inserts; an expired pair is taken over by
    // the upsert; a live pair matches neither, changing no row. Two nodes
    // claiming the same pair at once: SERIALIZABLE makes one of them wait
    // for the other's commit and then fail to serialize; its re-run sees
    // the live pair.
    pqxx::result r = Exec(
        tx_,
        "INSERT INTO nonces (access_key_id, nonce, expires_at) "
        "VALUES ($1, $2, $3) "
        "ON CONFLICT (access_key_id, nonce) DO UPDATE "
        "SET expires_at = EXCLUDED.expires_at "
        "WHERE nonces.expires_at <= $4::bigint",
        {T(access_key_id), T(nonce), I(expires_at), I(now)});
    return r.affected_rows() > 0;
  });
}

Result<int64_t> PgTx::PurgeNonces(int64_t now) {
  return Run<int64_t>("PurgeNonces", [&] {
    pqxx::result r = Exec(
        tx_, "DELETE FROM nonces WHERE expires_at <= $1::bigint", {I(now)});
    return static_cast<int64_t>(r.affected_rows());
  });
}

Result<std::optional<IdempotencyRecord>> PgTx::GetIdempotency(
    std::string_view account_id, std::string_view action,
    std::string_view token) {
  return Run<std::optional<IdempotencyRecord>>("GetIdempotency", [&] {
    pqxx::result r = Exec(
        tx_,
        std::string(kSelectIdempotency) +
            " WHERE account_id = $1 AND action = $2 AND token = $3",
        {T(account_id), T(action), T(token)});
    if (r.empty()) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(ReadIdempotency(r[0]));
  });
}

Status PgTx::PutIdempotency(const IdempotencyRecord& rec) {
  return ToStatus(Run<std::monostate>("PutIdempotency", [&] {
    Exec(tx_,
         "INSERT INTO idempotency (account_id, action, token, params_hash, "
         "http_status, response, created_at) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7) "
         "ON CONFLICT (account_id, action, token) DO UPDATE SET "
         "params_hash = EXCLUDED.params_hash, "
         "http_status = EXCLUDED.http_status, "
         "response = EXCLUDED.response, created_at = EXCLUDED.created_at",
         {T(rec.account_id), T(rec.action), T(rec.token), T(rec.params_hash),
          I(rec.http_status), T(rec.response), I(rec.created_at)});
    return std::monostate();
  }));
}

Result<int64_t> PgTx::PurgeIdempotency(int64_t cutoff) {
  return Run<int64_t>("PurgeIdempotency", [&] {
    pqxx::result r =
        Exec(tx_, "DELETE FROM idempotency WHERE created_at < $1::bigint",
             {I(cutoff)});
    return static_cast<int64_t>(r.affected_rows());
  });
}

Result<std::vector<IdempotencyRecord>> PgTx::ListIdempotency(
    std::string_view account_id) {
  return Run<std::vector<IdempotencyRecord>>("ListIdempotency", [&] {
    pqxx::result r = Exec(
        tx_,
        std::string(kSelectIdempotency) +
            " WHERE account_id = $1 ORDER BY created_at, action, token",
        {T(account_id)});
    std::vector<IdempotencyRecord> out;
    for (const auto& row : r) out.push_back(ReadIdempotency(row));
    return out;
  });
}

Result<std::optional<Resource>> PgTx::GetResource(std::string_view kind,
                                                  std::string_view account_id,
                                                  std::string_view id) {
  return Run<std::optional<Resource>>("GetResource", [&] {
    pqxx::result r = Exec(tx_,
                          std::string("SELECT ") + kResourceColumns +
                              " FROM resources WHERE kind = $1 AND id = $2 "
                              "AND account_id = $3",
                          {T(kind), T(id), T(account_id)});
    if (r.empty()) return std::optional<Resource>();
    return std::optional<Resource>(ReadResource(r[0]));
  });
}

Status PgTx::PutResource(const Resource& res) {
  return ToStatus(Run<std::monostate>("PutResource", [&]() -> Result<std::monostate> {
    // Another account's (kind, id) matches the conflict but not the WHERE:
    // no row changes, nothing is raised.
    pqxx::result r = Exec(
        tx_,
        std::string("INSERT INTO resources (") + kResourceColumns +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (kind, id) DO UPDATE SET "
            "region_id = EXCLUDED.region_id, name = EXCLUDED.name, "
            "parent_id = EXCLUDED.parent_id, flag = EXCLUDED.flag, "
            "created_at = EXCLUDED.created_at, doc = EXCLUDED.doc "
            "WHERE resources.account_id = EXCLUDED.account_id",
        {T(res.kind), T(res.id), T(res.account_id), T(res.region_id),
         T(res.name), T(res.parent_id), I(res.flag), I(res.created_at),
         T(res.doc)});
    if (r.affected_rows() == 0) {
      return Error(errors::kInternalError)
          .WithCause("postgresql: PutResource: resource " + res.kind + " " +
                     res.id + " exists under another account");
    }
    return std::monostate();
  }));
}

Result<bool> PgTx::DeleteResource(std::string_view kind,
                                  std::string_view account_id,
                                  std::string_view id) {
  return Run<bool>("DeleteResource", [&] {
    pqxx::result r = Exec(tx_,
                          "DELETE FROM resources WHERE kind = $1 AND id = $2 "
                          "AND account_id = $3",
                          {T(kind), T(id), T(account_id)});
    return r.affected_rows() > 0;
  });
}

Result<std::vector<Resource>> PgTx::ListResources(const ResourceQuery& q) {
  return Run<std::vector<Resource>>("ListResources", [&] {
    Params params;
    std::string sql = std::string("SELECT ") + kResourceColumns +
                      " FROM resources" + ResourceWhere(q, &params) +
                      (q.newest_first ? " ORDER BY created_at DESC, id DESC"
                                      : " ORDER BY created_at, id");
    // As SQLite: a negative limit means none, a negative offset is 0.
    if (q.limit >= 0) {
      params.push_back(I(q.limit));
      sql += " LIMIT $" + std::to_string(params.size()) + "::bigint";
    }
    if (q.offset > 0) {
      params.push_back(I(q.offset));
      sql += " OFFSET $" + std::to_string(params.size()) + "::bigint";
    }
    pqxx::result r = Exec(tx_, sql, params);
    std::vector<Resource> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(ReadResource(row));
    return out;
  });
}

Result<int64_t> PgTx::CountResources(const ResourceQuery& q) {
  return Run<int64_t>("CountResources", [&] {
    Params params;
    std::string sql = "SELECT COUNT(*) FROM resources" + ResourceWhere(q, &params);
    pqxx::result r = Exec(tx_, sql, params);
    return r.empty() ? int64_t{0} : Int(r[0][0]);
  });
}

Result<std::vector<std::string>> PgTx::ListResourceKinds(
    std::string_view account_id) {
  return Run<std::vector<std::string>>("ListResourceKinds", [&] {
    pqxx::result r = Exec(tx_,
                          "SELECT DISTINCT kind FROM resources "
                          "WHERE account_id = $1 ORDER BY kind",
                          {T(account_id)});
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(Text(row[0]));
    return out;
  });
}

Result<int64_t> PgTx::DeleteAccountResources(std::string_view account_id) {
  return Run<int64_t>("DeleteAccountResources", [&] {
    const Params p = {T(account_id)};
    pqxx::result r = Exec(tx_, "DELETE FROM resources WHERE account_id = $1", p);
    Exec(tx_, "DELETE FROM idempotency WHERE account_id = $1", p);
    return static_cast<int64_t>(r.affected_rows());
  });
}

}  // namespace swasd::store::postgres
