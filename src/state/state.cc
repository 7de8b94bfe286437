#include "state/state.h"

#include <set>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"

namespace swasd::state {
namespace {

using json = nlohmann::ordered_json;

// Associated data binding each sealed value to its place, so a sealed
// secret cannot be moved to another key or name inside the file.
std::string KeyAad(const std::string& id) { return "swasd-export:access-key:" + id; }
std::string SecretAad(const std::string& name) { return "swasd-export:secret:" + name; }
constexpr char kCheckAad[] = "swasd-export:key-check";
constexpr char kCheckText[] = "swasd export key check";

std::string SealB64(const std::string& key, std::string_view plain, const std::string& aad) {
  return Base64Encode(crypto::Seal(key, plain, aad));
}

Error Malformed(const std::string& where, std::string_view why) {
  return Error(errors::kInvalidParameter,
               "export file: " + where + ": " + std::string(why));
}

// Typed reads of an import document, naming the place on failure.
Result<std::string> Str(const json& v, const char* key, const std::string& where) {
  auto it = v.find(key);
  if (it == v.end() || !it->is_string()) {
    return Malformed(where + "." + key, "must be a string");
  }
  return it->get<std::string>();
}
Result<int64_t> Int(const json& v, const char* key, const std::string& where) {
  auto it = v.find(key);
  if (it == v.end() || !it->is_number_integer()) {
    return Malformed(where + "." + key, "must be an integer");
  }
  return it->get<int64_t>();
}
Result<const json*> Arr(const json& v, const char* key, const std::string& where) {
  auto it = v.find(key);
  if (it == v.end() || !it->is_array()) return Malformed(where + "." + key, "must be an array");
  return &*it;
}
Result<std::string> Unseal(const std::string& key, const std::string& b64,
                           const std::string& aad, const std::string& where) {
  std::optional<std::string> box = Base64Decode(b64);
  std::optional<std::string> plain = box ? crypto::Open(key, *box, aad) : std::nullopt;
  if (!plain) return Malformed(where, "does not open with the export key");
  return *plain;
}

Status CheckKey(const std::string& key) {
  if (key.size() != 32) {
    return Error(errors::kInvalidParameter, "the export key must be 32 bytes");
  }
  return Status::Ok();
}

// Deletes a RAM user's keys of `account_id` (root keys stay).
Status DeleteRamUserKeys(store::Tx& tx, const std::string& account_id) {
  SWASD_ASSIGN_OR_RETURN(std::vector<store::AccessKey> keys, tx.ListAccessKeys(account_id));
  for (const store::AccessKey& k : keys) {
    if (k.principal_type == store::PrincipalType::kRoot) continue;
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteAccessKey(k.access_key_id));
    (void)gone;
  }
  return Status::Ok();
}

}  // namespace

Result<json> Export(store::Store& store, const std::string& seal_key) {
  SWASD_RETURN_IF_ERROR(CheckKey(seal_key));
  json doc = {{"Format", kExportFormat},
              {"Version", kExportVersion},
              {"ExportedAt", FormatIso8601(SystemClock().NowUnixSeconds())},
              {"SourceBackend", std::string(store.Backend())},
              {"KeyCheck", SealB64(seal_key, kCheckText, kCheckAad)}};
  SWASD_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
    json secrets = json::array();
    SWASD_ASSIGN_OR_RETURN(std::vector<std::string> names, tx.ListSecretNames());
    for (const std::string& name : names) {
      SWASD_ASSIGN_OR_RETURN(std::optional<std::string> value, tx.GetSecret(name));
      if (!value) continue;
      secrets.push_back({{"Name", name}, {"Sealed", SealB64(seal_key, *value, SecretAad(name))}});
    }
    doc["Secrets"] = std::move(secrets);
    json accounts = json::array();
    SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> all, tx.ListAccounts());
    for (const store::Account& a : all) {
      json keys = json::array();
      SWASD_ASSIGN_OR_RETURN(std::vector<store::AccessKey> held, tx.ListAccessKeys(a.account_id));
      for (const store::AccessKey& k : held) {
        keys.push_back(
            {{"AccessKeyId", k.access_key_id},
             {"SealedSecret", SealB64(seal_key, k.secret, KeyAad(k.access_key_id))},
             {"PrincipalType",
              k.principal_type == store::PrincipalType::kRoot ? "Root" : "RamUser"},
             {"PrincipalName", k.principal_name},
             {"Active", k.active},
             {"CreatedAt", k.created_at}});
      }
      json resources = json::array();
      SWASD_ASSIGN_OR_RETURN(std::vector<std::string> kinds, tx.ListResourceKinds(a.account_id));
      for (const std::string& kind : kinds) {
        SWASD_ASSIGN_OR_RETURN(
            std::vector<store::Resource> rows,
            tx.ListResources(store::ResourceQuery{.kind = kind, .account_id = a.account_id}));
        for (const store::Resource& r : rows) {
          json document = json::parse(r.doc, nullptr, /*allow_exceptions=*/false);
          if (document.is_discarded()) {
            return Error(errors::kInternalError)
                .WithCause("resource " + r.kind + " " + r.id + " holds a document that is not JSON");
          }
          resources.push_back({{"Kind", r.kind},
                               {"Id", r.id},
                               {"RegionId", r.region_id},
                               {"Name", r.name},
                               {"ParentId", r.parent_id},
                               {"Flag", r.flag},
                               {"CreatedAt", r.created_at},
                               {"Document", std::move(document)}});
        }
      }
      json tokens = json::array();
      SWASD_ASSIGN_OR_RETURN(std::vector<store::IdempotencyRecord> records,
                             tx.ListIdempotency(a.account_id));
      for (const store::IdempotencyRecord& t : records) {
        tokens.push_back({{"Action", t.action},
                          {"Token", t.token},
                          {"ParamsHash", t.params_hash},
                          {"HttpStatus", t.http_status},
                          {"Response", t.response},
                          {"CreatedAt", t.created_at}});
      }
      accounts.push_back({{"AccountId", a.account_id},
                          {"Name", a.name},
                          {"CreatedAt", a.created_at},
                          {"AccessKeys", std::move(keys)},
                          {"Resources", std::move(resources)},
                          {"ClientTokens", std::move(tokens)}});
    }
    doc["Accounts"] = std::move(accounts);
    return Status::Ok();
  }));
  return doc;
}

Result<json> Import(store::Store& store, const json& doc, const std::string& seal_key,
                    const ImportOptions& options) {
  SWASD_RETURN_IF_ERROR(CheckKey(seal_key));
  if (!doc.is_object() || doc.value("Format", "") != kExportFormat) {
    return Error(errors::kInvalidParameter,
                 std::string("not a swasd export (its Format is not \"") + kExportFormat + "\")");
  }
  SWASD_ASSIGN_OR_RETURN(int64_t version, Int(doc, "Version", ""));
  if (version != kExportVersion) {
    return Error(errors::kInvalidParameter,
                 "export version " + std::to_string(version) + " is unknown to this swasd (it reads " +
                     std::to_string(kExportVersion) + ")");
  }
  SWASD_ASSIGN_OR_RETURN(std::string check, Str(doc, "KeyCheck", ""));
  {
    std::optional<std::string> box = Base64Decode(check);
    if (!box || crypto::Open(seal_key, *box, kCheckAad) != std::optional<std::string>(kCheckText)) {
      return Error(errors::kInvalidParameter,
                   "the export key does not open this file (export and import need the same key)");
    }
  }
  SWASD_ASSIGN_OR_RETURN(const json* secrets, Arr(doc, "Secrets", ""));
  SWASD_ASSIGN_OR_RETURN(const json* accounts, Arr(doc, "Accounts", ""));

  json counts = {{"Accounts", 0}, {"AccessKeys", 0}, {"Resources", 0},
                 {"ClientTokens", 0}, {"Secrets", 0}};
  SWASD_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
    for (auto& [k, v] : counts.items()) v = 0;  // a retried transaction counts afresh
    SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> existing, tx.ListAccounts());
    if (!existing.empty()) {
      if (!options.replace) {
        return Error("FailedPrecondition.NotEmpty", 400,
                     "The target store holds " + std::to_string(existing.size()) +
                         " accounts; import into an empty store, or replace its state.");
      }
      for (const store::Account& a : existing) {
        SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteAccount(a.account_id));
        (void)gone;
      }
    }
    for (size_t i = 0; i < secrets->size(); ++i) {
      const json& s = (*secrets)[i];
      const std::string where = "Secrets[" + std::to_string(i) + "]";
      SWASD_ASSIGN_OR_RETURN(std::string name, Str(s, "Name", where));
      SWASD_ASSIGN_OR_RETURN(std::string sealed, Str(s, "Sealed", where));
      SWASD_ASSIGN_OR_RETURN(std::string value, Unseal(seal_key, sealed, SecretAad(name), where));
      SWASD_RETURN_IF_ERROR(tx.PutSecret(name, value));
      counts["Secrets"] = counts["Secrets"].get<int>() + 1;
    }
    for (size_t i = 0; i < accounts->size(); ++i) {
      const json& a = (*accounts)[i];
      const std::string where = "Accounts[" + std::to_string(i) + "]";
      store::Account account;
      SWASD_ASSIGN_OR_RETURN(account.account_id, Str(a, "AccountId", where));
      SWASD_ASSIGN_OR_RETURN(account.name, Str(a, "Name", where));
      SWASD_ASSIGN_OR_RETURN(account.created_at, Int(a, "CreatedAt", where));
      SWASD_RETURN_IF_ERROR(tx.InsertAccount(account));
      counts["Accounts"] = counts["Accounts"].get<int>() + 1;

      SWASD_ASSIGN_OR_RETURN(const json* keys, Arr(a, "AccessKeys", where));
      for (size_t j = 0; j < keys->size(); ++j) {
        const json& k = (*keys)[j];
        const std::string kw = where + ".AccessKeys[" + std::to_string(j) + "]";
        store::AccessKey key;
        key.account_id = account.account_id;
        SWASD_ASSIGN_OR_RETURN(key.access_key_id, Str(k, "AccessKeyId", kw));
        SWASD_ASSIGN_OR_RETURN(std::string sealed, Str(k, "SealedSecret", kw));
        SWASD_ASSIGN_OR_RETURN(key.secret, Unseal(seal_key, sealed, KeyAad(key.access_key_id), kw));
        SWASD_ASSIGN_OR_RETURN(std::string type, Str(k, "PrincipalType", kw));
        if (type != "Root" && type != "RamUser") {
          return Malformed(kw + ".PrincipalType", "must be Root or RamUser");
        }
        key.principal_type =
            type == "Root" ? store::PrincipalType::kRoot : store::PrincipalType::kRamUser;
        SWASD_ASSIGN_OR_RETURN(key.principal_name, Str(k, "PrincipalName", kw));
        auto active = k.find("Active");
        if (active == k.end() || !active->is_boolean()) {
          return Malformed(kw + ".Active", "must be true or false");
        }
        key.active = active->get<bool>();
        SWASD_ASSIGN_OR_RETURN(key.created_at, Int(k, "CreatedAt", kw));
        SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(key));
        counts["AccessKeys"] = counts["AccessKeys"].get<int>() + 1;
      }

      SWASD_ASSIGN_OR_RETURN(const json* resources, Arr(a, "Resources", where));
      for (size_t j = 0; j < resources->size(); ++j) {
        const json& r = (*resources)[j];
        const std::string rw = where + ".Resources[" + std::to_string(j) + "]";
        store::Resource res;
        res.account_id = account.account_id;
        SWASD_ASSIGN_OR_RETURN(res.kind, Str(r, "Kind", rw));
        SWASD_ASSIGN_OR_RETURN(res.id, Str(r, "Id", rw));
        SWASD_ASSIGN_OR_RETURN(res.region_id, Str(r, "RegionId", rw));
        SWASD_ASSIGN_OR_RETURN(res.name, Str(r, "Name", rw));
        SWASD_ASSIGN_OR_RETURN(res.parent_id, Str(r, "ParentId", rw));
        SWASD_ASSIGN_OR_RETURN(res.flag, Int(r, "Flag", rw));
        SWASD_ASSIGN_OR_RETURN(res.created_at, Int(r, "CreatedAt", rw));
        auto document = r.find("Document");
        if (document == r.end() || !document->is_object()) {
          return Malformed(rw + ".Document", "must be an object");
        }
        res.doc = document->dump();
        SWASD_RETURN_IF_ERROR(tx.PutResource(res));
        counts["Resources"] = counts["Resources"].get<int>() + 1;
      }

      SWASD_ASSIGN_OR_RETURN(const json* tokens, Arr(a, "ClientTokens", where));
      for (size_t j = 0; j < tokens->size(); ++j) {
        const json& t = (*tokens)[j];
        const std::string tw = where + ".ClientTokens[" + std::to_string(j) + "]";
        store::IdempotencyRecord rec;
        rec.account_id = account.account_id;
        SWASD_ASSIGN_OR_RETURN(rec.action, Str(t, "Action", tw));
        SWASD_ASSIGN_OR_RETURN(rec.token, Str(t, "Token", tw));
        SWASD_ASSIGN_OR_RETURN(rec.params_hash, Str(t, "ParamsHash", tw));
        SWASD_ASSIGN_OR_RETURN(int64_t status, Int(t, "HttpStatus", tw));
        rec.http_status = static_cast<int>(status);
        SWASD_ASSIGN_OR_RETURN(rec.response, Str(t, "Response", tw));
        SWASD_ASSIGN_OR_RETURN(rec.created_at, Int(t, "CreatedAt", tw));
        SWASD_RETURN_IF_ERROR(tx.PutIdempotency(rec));
        counts["ClientTokens"] = counts["ClientTokens"].get<int>() + 1;
      }
    }
    return Status::Ok();
  }));
  return counts;
}

Result<json> Reset(store::Store& store, const ResetRequest& request,
                   const FixtureContext& context) {
  json out;
  SWASD_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
    out = json::object();
    json emptied = json::array(), deleted = json::array();
    SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> accounts, tx.ListAccounts());
    if (request.account_id) {
      SWASD_ASSIGN_OR_RETURN(std::optional<store::Account> account,
                             tx.GetAccount(*request.account_id));
      if (!account) {
        return errors::InvalidParam("AccountId",
                                    "account " + *request.account_id + " does not exist");
      }
      SWASD_ASSIGN_OR_RETURN(int64_t removed, tx.DeleteAccountResources(account->account_id));
      (void)removed;
      SWASD_RETURN_IF_ERROR(DeleteRamUserKeys(tx, account->account_id));
      emptied.push_back(account->account_id);
    } else {
      for (size_t i = 0; i < accounts.size(); ++i) {
        const std::string& id = accounts[i].account_id;
        if (i == 0) {  // the operator's root account stays, with its keys
          SWASD_ASSIGN_OR_RETURN(int64_t removed, tx.DeleteAccountResources(id));
          (void)removed;
          SWASD_RETURN_IF_ERROR(DeleteRamUserKeys(tx, id));
          emptied.push_back(id);
        } else {
          SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteAccount(id));
          (void)gone;
          deleted.push_back(id);
        }
      }
    }
    out["Accounts"] = std::move(emptied);
    out["Deleted"] = std::move(deleted);
    if (request.fixture != nullptr) {
      SWASD_ASSIGN_OR_RETURN(
          json made, request.fixture->Apply(tx, context, request.account_id, /*fill_existing=*/true));
      out["Fixture"] = std::move(made);
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace swasd::state
