#include "state/fixture.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/errors.h"
#include "iam/service.h"
#include "store/accounts.h"
#include "swas/catalog.h"
#include "swas/service.h"

namespace swasd::state {
namespace {

using json = nlohmann::ordered_json;

// Reads one JSON object of the fixture, path in hand: every key must be
// one the reader asks for (Done() refuses the rest), every value typed.
class ObjectReader {
 public:
  ObjectReader(const Fixture& f, const json& v, std::string path)
      : f_(f), v_(v), path_(std::move(path)) {}

  Status IsObject() const {
    if (!v_.is_object()) return f_.At(path_, "must be an object");
    return Status::Ok();
  }
  std::string PathOf(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const std::string& path() const { return path_; }

  // A string; absent: `def` (nullopt: required).
  Result<std::string> Str(std::string_view key, std::optional<std::string> def = {},
                          size_t max_len = 1024) {
    seen_.insert(std::string(key));
    auto it = v_.find(key);
    if (it == v_.end()) {
      if (!def) return f_.At(PathOf(key), "is required");
      return *def;
    }
    if (!it->is_string()) return f_.At(PathOf(key), "must be a string");
    std::string s = it->get<std::string>();
    if (s.empty() && !def) return f_.At(PathOf(key), "must not be empty");
    if (s.size() > max_len) {
      return f_.At(PathOf(key), "is longer than " + std::to_string(max_len) + " characters");
    }
    return s;
  }
  Result<std::optional<std::string>> OptStr(std::string_view key) {
    if (v_.find(key) == v_.end()) {
      seen_.insert(std::string(key));
      return std::optional<std::string>();
    }
    SWASD_ASSIGN_OR_RETURN(std::string s, Str(key));
    return std::optional<std::string>(std::move(s));
  }
  Result<bool> Bool(std::string_view key) {
    seen_.insert(std::string(key));
    auto it = v_.find(key);
    if (it == v_.end()) return false;
    if (!it->is_boolean()) return f_.At(PathOf(key), "must be true or false");
    return it->get<bool>();
  }
  Result<int64_t> Int(std::string_view key, int64_t def, int64_t lo, int64_t hi) {
    seen_.insert(std::string(key));
    auto it = v_.find(key);
    if (it == v_.end()) return def;
    if (!it->is_number_integer()) return f_.At(PathOf(key), "must be an integer");
    const int64_t n = it->get<int64_t>();
    if (n < lo || n > hi) {
      return f_.At(PathOf(key), "must be from " + std::to_string(lo) + " to " +
                                    std::to_string(hi));
    }
    return n;
  }
  // A policy document: a JSON object, or a string holding one.
  Result<std::string> Document(std::string_view key) {
    seen_.insert(std::string(key));
    auto it = v_.find(key);
    if (it == v_.end()) return f_.At(PathOf(key), "is required");
    if (it->is_object()) return it->dump();
    if (it->is_string()) return it->get<std::string>();
    return f_.At(PathOf(key), "must be a policy document (an object, or a string)");
  }
  // The array at `key` (absent: empty), each element's path.
  Result<std::vector<std::pair<const json*, std::string>>> Array(std::string_view key) {
    seen_.insert(std::string(key));
    std::vector<std::pair<const json*, std::string>> out;
    auto it = v_.find(key);
    if (it == v_.end()) return out;
    if (!it->is_array()) return f_.At(PathOf(key), "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      out.emplace_back(&(*it)[i], PathOf(key) + "[" + std::to_string(i) + "]");
    }
    return out;
  }
  Result<std::vector<std::string>> Strings(std::string_view key) {
    SWASD_ASSIGN_OR_RETURN(auto items, Array(key));
    std::vector<std::string> out;
    for (const auto& [v, p] : items) {
      if (!v->is_string() || v->get<std::string>().empty()) {
        return f_.At(p, "must be a non-empty string");
      }
      out.push_back(v->get<std::string>());
    }
    return out;
  }
  // Refuses keys nobody asked for: a typo must not pass silently.
  Status Done() const {
    for (const auto& [k, v] : v_.items()) {
      if (!seen_.count(k)) return f_.At(PathOf(k), "is not a fixture key");
    }
    return Status::Ok();
  }

 private:
  const Fixture& f_;
  const json& v_;
  std::string path_;
  std::set<std::string> seen_;
};

Result<std::vector<FixtureKey>> ReadKeys(const Fixture& f, ObjectReader& r) {
  SWASD_ASSIGN_OR_RETURN(auto items, r.Array("AccessKeys"));
  std::vector<FixtureKey> out;
  for (const auto& [v, p] : items) {
    ObjectReader k(f, *v, p);
    SWASD_RETURN_IF_ERROR(k.IsObject());
    FixtureKey key{.path = p};
    SWASD_ASSIGN_OR_RETURN(key.id, k.OptStr("AccessKeyId"));
    SWASD_ASSIGN_OR_RETURN(key.secret, k.OptStr("AccessKeySecret"));
    SWASD_RETURN_IF_ERROR(k.Done());
    if (key.id.has_value() != key.secret.has_value()) {
      return f.At(p, "give AccessKeyId and AccessKeySecret together, or neither "
                     "(a key is generated)");
    }
    if (key.id) {
      Status valid = store::ValidateAccessKey(*key.id, *key.secret);
      if (!valid.ok()) return f.At(p, valid.error().message());
    }
    out.push_back(std::move(key));
  }
  return out;
}

Result<std::vector<FixturePolicyRef>> ReadPolicyRefs(
    const Fixture& f, ObjectReader& r, const std::set<std::string>& custom) {
  SWASD_ASSIGN_OR_RETURN(auto items, r.Array("Policies"));
  std::vector<FixturePolicyRef> out;
  for (const auto& [v, p] : items) {
    ObjectReader a(f, *v, p);
    SWASD_RETURN_IF_ERROR(a.IsObject());
    FixturePolicyRef ref{.path = p};
    SWASD_ASSIGN_OR_RETURN(ref.name, a.Str("PolicyName"));
    // Default: the account's own policy of that name, else a system one.
    SWASD_ASSIGN_OR_RETURN(
        ref.type, a.Str("PolicyType", custom.count(ref.name) ? "Custom" : "System"));
    if (ref.type != "System" && ref.type != "Custom") {
      return f.At(a.PathOf("PolicyType"), "must be System or Custom");
    }
    SWASD_RETURN_IF_ERROR(a.Done());
    out.push_back(std::move(ref));
  }
  return out;
}

Result<FixtureAccount> ReadAccount(const Fixture& f, const json& v, const std::string& path) {
  ObjectReader r(f, v, path);
  SWASD_RETURN_IF_ERROR(r.IsObject());
  FixtureAccount a{.path = path};
  SWASD_ASSIGN_OR_RETURN(a.name, r.Str("Name", std::nullopt, 64));
  // Checked here, where the message can name the key's line, by the rule
  // the store applies when it creates the account.
  if (Status valid = store::ValidateNewAccount(a.name, std::nullopt, std::nullopt); !valid.ok()) {
    return f.At(r.PathOf("Name"), valid.error().message());
  }
  SWASD_ASSIGN_OR_RETURN(a.account_id, r.OptStr("AccountId"));
  SWASD_ASSIGN_OR_RETURN(a.root, r.Bool("Root"));
  SWASD_ASSIGN_OR_RETURN(a.keys, ReadKeys(f, r));

  std::set<std::string> custom;
  SWASD_ASSIGN_OR_RETURN(auto policies, r.Array("RamPolicies"));
  for (const auto& [pv, pp] : policies) {
    ObjectReader p(f, *pv, pp);
    SWASD_RETURN_IF_ERROR(p.IsObject());
    FixturePolicy policy{.path = pp};
    SWASD_ASSIGN_OR_RETURN(policy.name, p.Str("PolicyName"));
    SWASD_ASSIGN_OR_RETURN(policy.description, p.Str("Description", ""));
    SWASD_ASSIGN_OR_RETURN(policy.document, p.Document("PolicyDocument"));
    SWASD_RETURN_IF_ERROR(p.Done());
    if (!custom.insert(policy.name).second) return f.At(pp, "names a policy twice");
    a.policies.push_back(std::move(policy));
  }
  SWASD_ASSIGN_OR_RETURN(auto users, r.Array("RamUsers"));
  std::set<std::string> user_names;
  for (const auto& [uv, up] : users) {
    ObjectReader u(f, *uv, up);
    SWASD_RETURN_IF_ERROR(u.IsObject());
    FixtureUser user{.path = up};
    SWASD_ASSIGN_OR_RETURN(user.name, u.Str("UserName"));
    SWASD_ASSIGN_OR_RETURN(user.display_name, u.Str("DisplayName", ""));
    SWASD_ASSIGN_OR_RETURN(user.keys, ReadKeys(f, u));
    SWASD_ASSIGN_OR_RETURN(user.policies, ReadPolicyRefs(f, u, custom));
    SWASD_RETURN_IF_ERROR(u.Done());
    if (user.keys.size() > 2) {
      return f.At(u.PathOf("AccessKeys"), "a RAM user holds at most 2 AccessKeys");
    }
    if (!user_names.insert(user.name).second) return f.At(up, "names a user twice");
    a.users.push_back(std::move(user));
  }
  SWASD_ASSIGN_OR_RETURN(auto roles, r.Array("RamRoles"));
  for (const auto& [rv, rp] : roles) {
    ObjectReader o(f, *rv, rp);
    SWASD_RETURN_IF_ERROR(o.IsObject());
    FixtureRole role{.path = rp};
    SWASD_ASSIGN_OR_RETURN(role.name, o.Str("RoleName"));
    SWASD_ASSIGN_OR_RETURN(role.description, o.Str("Description", ""));
    SWASD_ASSIGN_OR_RETURN(role.trust_document, o.Document("AssumeRolePolicyDocument"));
    SWASD_ASSIGN_OR_RETURN(role.max_session_duration,
                           o.Int("MaxSessionDuration", 3600, 3600, 43200));
    SWASD_ASSIGN_OR_RETURN(role.policies, ReadPolicyRefs(f, o, custom));
    SWASD_RETURN_IF_ERROR(o.Done());
    a.roles.push_back(std::move(role));
  }

  SWASD_ASSIGN_OR_RETURN(auto instances, r.Array("Instances"));
  std::map<std::string, const FixtureInstance*> by_name;
  for (const auto& [iv, ip] : instances) {
    ObjectReader i(f, *iv, ip);
    SWASD_RETURN_IF_ERROR(i.IsObject());
    FixtureInstance inst{.path = ip};
    SWASD_ASSIGN_OR_RETURN(inst.name, i.Str("InstanceName"));
    SWASD_ASSIGN_OR_RETURN(inst.region, i.Str("RegionId", "cn-hangzhou"));
    SWASD_ASSIGN_OR_RETURN(inst.plan_id, i.Str("PlanId", swas::Plans().front().plan_id));
    SWASD_ASSIGN_OR_RETURN(inst.image_id,
                           i.Str("ImageId", swas::PublicImages().front().image_id));
    SWASD_RETURN_IF_ERROR(i.Done());
    a.instances.push_back(std::move(inst));
  }
  for (const FixtureInstance& inst : a.instances) {
    if (!by_name.emplace(inst.name, &inst).second) {
      return f.At(inst.path, "InstanceName " + inst.name + " is used twice in this account");
    }
  }
  auto instance_ref = [&](ObjectReader& o, std::string& out) -> Status {
    SWASD_ASSIGN_OR_RETURN(out, o.Str("Instance"));
    if (!by_name.count(out)) {
      return f.At(o.PathOf("Instance"),
                  "no instance named " + out + " in this account's Instances");
    }
    return Status::Ok();
  };
  SWASD_ASSIGN_OR_RETURN(auto snapshots, r.Array("Snapshots"));
  std::map<std::string, const FixtureSnapshot*> snapshot_names;
  for (const auto& [sv, sp] : snapshots) {
    ObjectReader s(f, *sv, sp);
    SWASD_RETURN_IF_ERROR(s.IsObject());
    FixtureSnapshot snap{.path = sp};
    SWASD_ASSIGN_OR_RETURN(snap.name, s.Str("SnapshotName"));
    SWASD_RETURN_IF_ERROR(instance_ref(s, snap.instance));
    SWASD_ASSIGN_OR_RETURN(std::string disk, s.Str("Disk", "System"));
    if (disk != "System" && disk != "Data") return f.At(s.PathOf("Disk"), "must be System or Data");
    snap.data_disk = disk == "Data";
    SWASD_RETURN_IF_ERROR(s.Done());
    a.snapshots.push_back(std::move(snap));
  }
  for (const FixtureSnapshot& snap : a.snapshots) {
    if (!snapshot_names.emplace(snap.name, &snap).second) {
      return f.At(snap.path, "SnapshotName " + snap.name + " is used twice in this account");
    }
  }
  SWASD_ASSIGN_OR_RETURN(auto images, r.Array("CustomImages"));
  for (const auto& [mv, mp] : images) {
    ObjectReader m(f, *mv, mp);
    SWASD_RETURN_IF_ERROR(m.IsObject());
    FixtureImage image{.path = mp};
    SWASD_ASSIGN_OR_RETURN(image.name, m.Str("ImageName"));
    SWASD_ASSIGN_OR_RETURN(image.description, m.Str("Description", ""));
    SWASD_RETURN_IF_ERROR(instance_ref(m, image.instance));
    SWASD_ASSIGN_OR_RETURN(image.snapshot, m.Str("Snapshot", ""));
    if (!image.snapshot.empty()) {
      auto it = snapshot_names.find(image.snapshot);
      if (it == snapshot_names.end()) {
        return f.At(m.PathOf("Snapshot"),
                    "no snapshot named " + image.snapshot + " in this account's Snapshots");
      }
      if (it->second->instance != image.instance || it->second->data_disk) {
        return f.At(m.PathOf("Snapshot"),
                    "must be a System disk snapshot of instance " + image.instance);
      }
    }
    SWASD_ASSIGN_OR_RETURN(image.share_to_ecs, m.Bool("ShareToEcs"));
    SWASD_ASSIGN_OR_RETURN(image.share_with, m.Strings("ShareWithAccounts"));
    SWASD_RETURN_IF_ERROR(m.Done());
    a.images.push_back(std::move(image));
  }
  SWASD_RETURN_IF_ERROR(r.Done());
  return a;
}

bool IsAccountId(std::string_view s) {
  bool ok = s.size() == 16 && s[0] != '0';
  for (char c : s) ok = ok && c >= '0' && c <= '9';
  return ok;
}

json KeyJson(const store::AccessKey& key) {
  return {{"AccessKeyId", key.access_key_id}, {"AccessKeySecret", key.secret}};
}

std::optional<std::pair<std::string, std::string>> Fixed(const FixtureKey& key) {
  if (!key.id) return std::nullopt;
  return std::make_pair(*key.id, *key.secret);
}

}  // namespace

Error Fixture::At(const std::string& path, std::string_view why) const {
  std::string where = source_ + ":" + std::to_string(lines_.LineOf(path)) + ": ";
  if (!path.empty()) where += path + ": ";
  return Error(errors::kInvalidParameter, where + std::string(why));
}

Result<Fixture> Fixture::Parse(std::string_view text, std::string source) {
  Fixture f;
  f.source_ = std::move(source);
  f.lines_ = JsonLines(text);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    const size_t at = what.find("at line ");
    std::string reason = at == std::string::npos ? what : what.substr(at + 8);
    const size_t colon = reason.find(", column");
    std::string line = colon == std::string::npos ? "1" : reason.substr(0, colon);
    const size_t msg = reason.find(": ");
    return Error(errors::kInvalidParameter,
                 f.source_ + ":" + line + ": not JSON: " +
                     (msg == std::string::npos ? reason : reason.substr(msg + 2)));
  }
  ObjectReader r(f, doc, "");
  SWASD_RETURN_IF_ERROR(r.IsObject());
  SWASD_ASSIGN_OR_RETURN(int64_t version, r.Int("FixtureVersion", 0, 0, 1 << 20));
  if (version != kFixtureVersion) {
    return f.At("FixtureVersion", "this swasd reads fixture version " +
                                      std::to_string(kFixtureVersion) +
                                      (version == 0 ? " (the key is required)"
                                                    : ", not " + std::to_string(version)));
  }
  SWASD_ASSIGN_OR_RETURN(auto accounts, r.Array("Accounts"));
  SWASD_RETURN_IF_ERROR(r.Done());
  std::set<std::string> names, ids, key_ids;
  for (const auto& [v, p] : accounts) {
    SWASD_ASSIGN_OR_RETURN(FixtureAccount a, ReadAccount(f, *v, p));
    if (a.root && !f.accounts_.empty()) {
      return f.At(p + ".Root", "only the first account may be the root account");
    }
    if (!names.insert(a.name).second) return f.At(p + ".Name", "names an account twice");
    if (a.account_id && !ids.insert(*a.account_id).second) {
      return f.At(p + ".AccountId", "is used twice");
    }
    if (a.account_id && !IsAccountId(*a.account_id)) {
      return f.At(p + ".AccountId", "must be 16 digits, the first not 0");
    }
    auto note_keys = [&](const std::vector<FixtureKey>& keys) -> Status {
      for (const FixtureKey& k : keys) {
        if (k.id && !key_ids.insert(*k.id).second) {
          return f.At(k.path, "AccessKeyId " + *k.id + " is used twice");
        }
      }
      return Status::Ok();
    };
    SWASD_RETURN_IF_ERROR(note_keys(a.keys));
    for (const FixtureUser& u : a.users) SWASD_RETURN_IF_ERROR(note_keys(u.keys));
    f.accounts_.push_back(std::move(a));
  }
  // ShareWithAccounts: another fixture account's Name or AccountId, or any
  // 16-digit id (an account that must exist when the fixture is applied).
  for (const FixtureAccount& a : f.accounts_) {
    for (const FixtureImage& m : a.images) {
      for (size_t i = 0; i < m.share_with.size(); ++i) {
        const std::string& to = m.share_with[i];
        if (!names.count(to) && !IsAccountId(to)) {
          return f.At(m.path + ".ShareWithAccounts[" + std::to_string(i) + "]",
                      "no account named " + to + " in this fixture, and not an account id");
        }
        if (to == a.name || (a.account_id && to == *a.account_id)) {
          return f.At(m.path + ".ShareWithAccounts[" + std::to_string(i) + "]",
                      "an image is not shared with its own account");
        }
      }
    }
  }
  return f;
}

Result<Fixture> Fixture::Load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error(errors::kInvalidParameter, file + ": cannot be read");
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), file);
}

Result<json> Fixture::Apply(store::Tx& tx, const FixtureContext& context,
                            const std::optional<std::string>& only_account,
                            bool fill_existing) const {
  // Instant transitions: what the fixture makes is ready when it commits.
  swas::Service swas(context.regions, context.clock,
                     swas::ServiceOptions{.instance_transition_ms = 0,
                                          .snapshot_ready_ms = 0,
                                          .image_ready_ms = 0});
  iam::Service iam(context.clock);
  const int64_t now = context.clock->NowUnixSeconds();
  // A domain rule that fails at `path`.
  auto fail = [&](const std::string& path, const Error& e) {
    return At(path, e.code() + ": " + e.message());
  };

  SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> existing, tx.ListAccounts());
  json out = json::object();
  out["Accounts"] = json::array();
  if (existing.empty() && (accounts_.empty() || !accounts_.front().root)) {
    // The operator's root account comes first in every store.
    auto root = store::CreateAccountInTx(tx, now, "root");
    if (!root.ok()) return root.error();
    out["Root"] = {{"AccountId", root->account.account_id}, {"AccessKey", KeyJson(root->key)}};
    existing.push_back(root->account);
  }

  // Which entries apply, and the account each one is.
  std::map<std::string, std::string> id_of;  // fixture name -> account id
  std::vector<std::pair<const FixtureAccount*, std::string>> chosen;
  for (const FixtureAccount& a : accounts_) {
    std::optional<store::Account> found;
    if (a.root && !existing.empty()) {
      found = existing.front();
      if (a.account_id && *a.account_id != found->account_id) {
        return At(a.path + ".AccountId", "the store's root account is " + found->account_id);
      }
    } else {
      for (const store::Account& e : existing) {
        if (a.account_id ? e.account_id == *a.account_id : e.name == a.name) {
          found = e;
          break;
        }
      }
    }
    if (found) id_of[a.name] = found->account_id;
    const bool wanted = !only_account || (found && found->account_id == *only_account);
    if (!wanted) continue;
    if (found && !fill_existing) {
      // Seeding twice would make everything twice. The one exception: a
      // Root entry filling the root account swasd made, still empty.
      bool empty_root = false;
      if (a.root) {
        SWASD_ASSIGN_OR_RETURN(auto kinds, tx.ListResourceKinds(found->account_id));
        empty_root = kinds.empty();
      }
      if (!empty_root) {
        return At(a.path, "account " + found->account_id + " (" + found->name +
                              ") exists already: seed a store once, or reset it to the fixture");
      }
    }
    chosen.emplace_back(&a, found ? found->account_id : "");
  }

  struct Owned {
    std::string account, region, image;
  };
  std::vector<std::pair<const FixtureImage*, Owned>> shares;
  for (auto& entry : chosen) {
    const FixtureAccount* a = entry.first;
    std::string& account_id = entry.second;
    json made = {{"Name", a->name}};
    json keys = json::array();
    if (account_id.empty()) {
      std::optional<std::pair<std::string, std::string>> first_key;
      if (!a->keys.empty()) first_key = Fixed(a->keys.front());
      auto created = store::CreateAccountInTx(tx, now, a->name, a->account_id, first_key);
      // What is left to fail is an AccountId or AccessKeyId taken; the
      // message names which.
      if (!created.ok()) return fail(a->path, created.error());
      account_id = created->account.account_id;
      keys.push_back(KeyJson(created->key));
      for (size_t i = 1; i < a->keys.size(); ++i) {
        auto key = store::AddRootKeyInTx(tx, account_id, now, Fixed(a->keys[i]));
        if (!key.ok()) return fail(a->keys[i].path, key.error());
        keys.push_back(KeyJson(*key));
      }
    } else {
      // An existing account: add the fixture's keys it lacks.
      for (const FixtureKey& k : a->keys) {
        if (k.id) {
          SWASD_ASSIGN_OR_RETURN(auto held, tx.GetAccessKey(*k.id));
          if (held && held->account_id == account_id && held->secret == *k.secret &&
              held->principal_type == store::PrincipalType::kRoot) {
            keys.push_back(KeyJson(*held));
            continue;
          }
        } else if (fill_existing) {
          continue;  // a generated key is made once, not on every reset
        }
        auto key = store::AddRootKeyInTx(tx, account_id, now, Fixed(k));
        if (!key.ok()) return fail(k.path, key.error());
        keys.push_back(KeyJson(*key));
      }
    }
    id_of[a->name] = account_id;
    made["AccountId"] = account_id;
    made["Root"] = a->root;
    made["AccessKeys"] = std::move(keys);

    for (const FixturePolicy& p : a->policies) {
      auto r = iam.CreatePolicy(tx, account_id, p.name, p.description, p.document);
      if (!r.ok()) return fail(p.path, r.error());
    }
    auto attach = [&](iam::PrincipalKind kind, const std::string& who,
                      const std::vector<FixturePolicyRef>& refs) -> Status {
      for (const FixturePolicyRef& ref : refs) {
        Status s = iam.Attach(tx, account_id, kind, who, ref.type, ref.name);
        if (!s.ok()) return fail(ref.path, s.error());
      }
      return Status::Ok();
    };
    json users = json::array();
    for (const FixtureUser& u : a->users) {
      iam::User user;
      user.name = u.name;
      user.display_name = u.display_name.empty() ? u.name : u.display_name;
      auto r = iam.CreateUser(tx, account_id, user);
      if (!r.ok()) return fail(u.path, r.error());
      json user_keys = json::array();
      for (const FixtureKey& k : u.keys) {
        store::AccessKey key;
        if (k.id) {
          SWASD_ASSIGN_OR_RETURN(auto taken, tx.GetAccessKey(*k.id));
          if (taken) return At(k.path, "AccessKey " + *k.id + " already exists");
          key.access_key_id = *k.id;
          key.secret = *k.secret;
          key.account_id = account_id;
          key.principal_type = store::PrincipalType::kRamUser;
          key.principal_name = u.name;
          key.created_at = now;
          SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(key));
        } else {
          auto made_key = iam.CreateAccessKey(tx, account_id, u.name);
          if (!made_key.ok()) return fail(k.path, made_key.error());
          key = *made_key;
        }
        user_keys.push_back(KeyJson(key));
      }
      SWASD_RETURN_IF_ERROR(attach(iam::PrincipalKind::kUser, u.name, u.policies));
      users.push_back({{"UserName", u.name}, {"AccessKeys", std::move(user_keys)}});
    }
    made["RamUsers"] = std::move(users);
    for (const FixtureRole& r : a->roles) {
      iam::Role role;
      role.name = r.name;
      role.description = r.description;
      role.trust_document = r.trust_document;
      role.max_session_duration = r.max_session_duration;
      auto created = iam.CreateRole(tx, account_id, role);
      if (!created.ok()) return fail(r.path, created.error());
      SWASD_RETURN_IF_ERROR(attach(iam::PrincipalKind::kRole, r.name, r.policies));
    }

    // SWAS: instances, then snapshots of their disks, then images.
    std::map<std::string, swas::Instance> instances;
    json instance_ids = json::object(), snapshot_ids = json::object(),
         image_ids = json::object();
    for (const FixtureInstance& i : a->instances) {
      swas::CreateInstancesRequest req;
      req.plan_id = i.plan_id;
      req.image_id = i.image_id;
      auto ids = swas.CreateInstances(tx, account_id, i.region, req);
      if (!ids.ok()) return fail(i.path, ids.error());
      const std::string id = ids->front();
      Status named = swas.UpdateInstance(tx, account_id, i.region, id, i.name);
      if (!named.ok()) return fail(i.path + ".InstanceName", named.error());
      auto inst = swas.GetInstance(tx, account_id, i.region, id);
      if (!inst.ok()) return fail(i.path, inst.error());
      instances[i.name] = *inst;
      instance_ids[i.name] = id;
    }
    std::map<std::string, std::string> snapshot_of;
    auto snapshot = [&](const std::string& path, const std::string& name,
                        const swas::Instance& inst, bool data) -> Result<std::string> {
      const std::string& disk = data ? inst.data_disk_id : inst.system_disk_id;
      if (disk.empty()) return At(path, "instance " + inst.id + " has no data disk");
      auto id = swas.CreateSnapshot(tx, account_id, inst.region_id, disk, name);
      if (!id.ok()) return fail(path, id.error());
      return *id;
    };
    for (const FixtureSnapshot& s : a->snapshots) {
      SWASD_ASSIGN_OR_RETURN(std::string id,
                             snapshot(s.path, s.name, instances.at(s.instance), s.data_disk));
      snapshot_of[s.name] = id;
      snapshot_ids[s.name] = id;
    }
    for (const FixtureImage& m : a->images) {
      const swas::Instance& inst = instances.at(m.instance);
      std::string snap;
      if (m.snapshot.empty()) {
        SWASD_ASSIGN_OR_RETURN(snap, snapshot(m.path, m.name + "-system", inst, false));
      } else {
        snap = snapshot_of.at(m.snapshot);
      }
      swas::CreateImageRequest req;
      req.instance_id = inst.id;
      req.system_snapshot_id = snap;
      req.name = m.name;
      req.description = m.description;
      auto id = swas.CreateCustomImage(tx, account_id, inst.region_id, req);
      if (!id.ok()) return fail(m.path, id.error());
      image_ids[m.name] = *id;
      if (m.share_to_ecs) {
        Status s = swas.ModifyImageShareStatus(tx, account_id, inst.region_id, *id,
                                               swas::ShareOperation::kShare);
        if (!s.ok()) return fail(m.path + ".ShareToEcs", s.error());
      }
      if (!m.share_with.empty()) {
        shares.push_back({&m, Owned{account_id, inst.region_id, *id}});
      }
    }
    made["Instances"] = std::move(instance_ids);
    made["Snapshots"] = std::move(snapshot_ids);
    made["CustomImages"] = std::move(image_ids);
    out["Accounts"].push_back(std::move(made));
  }

  // Shares to other accounts last: every fixture account exists by now.
  for (const auto& [m, owner] : shares) {
    std::vector<std::string> to;
    for (size_t i = 0; i < m->share_with.size(); ++i) {
      const std::string& ref = m->share_with[i];
      const std::string path = m->path + ".ShareWithAccounts[" + std::to_string(i) + "]";
      auto it = id_of.find(ref);
      std::string id = it != id_of.end() ? it->second : ref;
      SWASD_ASSIGN_OR_RETURN(auto account, tx.GetAccount(id));
      if (!account) {
        return At(path, it != id_of.end()
                            ? "account " + ref + " is not in the store (reset it with the fixture too)"
                            : "account " + ref + " does not exist");
      }
      to.push_back(id);
    }
    Status shared = swas.AddShareAccounts(tx, owner.account, owner.region, owner.image, to);
    if (!shared.ok()) return fail(m->path + ".ShareWithAccounts", shared.error());
  }
  return out;
}

Result<json> Seed(store::Store& store, const Fixture& fixture, const FixtureContext& context) {
  json out;
  SWASD_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(out, fixture.Apply(tx, context));
    return Status::Ok();
  }));
  return out;
}

}  // namespace swasd::state
