#include "iam/service.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/errors.h"
#include "store/document.h"
#include "base/ids.h"
#include "gateway/sts_token.h"
#include "iam/errors.h"
#include "ram/evaluate.h"
#include "ram/system_policies.h"

namespace swasd::iam {
namespace {

using nlohmann::json;
namespace gerr = ::swasd::errors;

constexpr char kAttachmentKind[] = "ram.attachment";
constexpr size_t kMaxVersions = 5;
constexpr size_t kMaxKeysPerUser = 2;

// Resource ids are unique per kind across accounts: scope names by account.
std::string Scoped(const std::string& account, const std::string& name) {
  return account + ":" + name;
}

const char* KindName(PrincipalKind k) { return k == PrincipalKind::kUser ? "user" : "role"; }


Result<std::optional<store::Resource>> ByName(store::Tx& tx, const char* kind,
                                              const std::string& account,
                                              const std::string& name) {
  store::ResourceQuery q;
  q.kind = kind;
  q.account_id = account;
  q.names = {name};
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  if (rows.empty()) return std::optional<store::Resource>();
  return std::optional<store::Resource>(std::move(rows.front()));
}

Result<User> UserFrom(const store::Resource& r) {
  return store::DecodeDocument<User>(r, [&](const json& j, User& u) {
    u.id = r.id;
    u.name = r.name;
    u.display_name = j.at("display_name");
    u.mobile = j.at("mobile");
    u.email = j.at("email");
    u.comments = j.at("comments");
    u.created_ms = r.created_at;
    u.updated_ms = j.at("updated_ms");
  });
}

store::Resource ToResource(const std::string& account, const User& u) {
  store::Resource r;
  r.kind = kUserKind;
  r.id = u.id;
  r.account_id = account;
  r.name = u.name;
  r.created_at = u.created_ms;
  r.doc = json{{"display_name", u.display_name}, {"mobile", u.mobile}, {"email", u.email},
               {"comments", u.comments}, {"updated_ms", u.updated_ms}}
              .dump();
  return r;
}

Result<Policy> PolicyFrom(const store::Resource& r) {
  return store::DecodeDocument<Policy>(r, [&](const json& j, Policy& p) {
    p.name = r.name;
    p.type = "Custom";
    p.description = j.at("description");
    p.default_version = j.at("default_version");
    p.next_version = j.at("next_version");
    p.created_ms = r.created_at;
    p.updated_ms = j.at("updated_ms");
    for (const auto& v : j.at("versions")) {
      p.versions.push_back({v.at("id"), v.at("document"), v.at("created_ms")});
    }
  });
}

store::Resource ToResource(const std::string& account, const Policy& p) {
  store::Resource r;
  r.kind = kPolicyKind;
  r.id = Scoped(account, p.name);
  r.account_id = account;
  r.name = p.name;
  r.created_at = p.created_ms;
  json versions = json::array();
  for (const auto& v : p.versions) {
    versions.push_back({{"id", v.id}, {"document", v.document}, {"created_ms", v.created_ms}});
  }
  r.doc = json{{"description", p.description}, {"default_version", p.default_version},
               {"next_version", p.next_version}, {"updated_ms", p.updated_ms},
               {"versions", versions}}
              .dump();
  return r;
}

Policy FromSystem(const ram::SystemPolicy& s) {
  Policy p;
  p.name = std::string(s.name);
  p.type = "System";
  p.description = std::string(s.description);
  // System policies predate every account; give them a fixed, plausible
  // creation time rather than the epoch.
  constexpr int64_t kSystemPolicyCreated = 1429200000000;  // 2015-04-16
  p.created_ms = p.updated_ms = kSystemPolicyCreated;
  p.versions = {{"v1", std::string(s.document), kSystemPolicyCreated}};
  return p;
}

Result<Role> RoleFrom(const store::Resource& r) {
  return store::DecodeDocument<Role>(r, [&](const json& j, Role& role) {
    role.id = r.id;
    role.name = r.name;
    role.arn = j.at("arn");
    role.description = j.at("description");
    role.trust_document = j.at("trust_document");
    role.max_session_duration = j.at("max_session_duration");
    role.created_ms = r.created_at;
    role.updated_ms = j.at("updated_ms");
  });
}

store::Resource ToResource(const std::string& account, const Role& role) {
  store::Resource r;
  r.kind = kRoleKind;
  r.id = role.id;
  r.account_id = account;
  r.name = role.name;
  r.created_at = role.created_ms;
  r.doc = json{{"arn", role.arn}, {"description", role.description},
               {"trust_document", role.trust_document},
               {"max_session_duration", role.max_session_duration},
               {"updated_ms", role.updated_ms}}
              .dump();
  return r;
}

std::string AttachmentId(const std::string& account, PrincipalKind kind,
                         const std::string& principal, const std::string& policy_type,
                         const std::string& policy_name) {
  return account + ":" + KindName(kind) + ":" + principal + ":" + policy_type + ":" + policy_name;
}

std::string AttachmentParent(PrincipalKind kind, const std::string& principal) {
  return std::string(KindName(kind)) + ":" + principal;
}

Result<std::vector<store::Resource>> AttachmentsOfPolicy(store::Tx& tx, const std::string& account,
                                                         const std::string& policy_name,
                                                         const std::string& policy_type) {
  store::ResourceQuery q;
  q.kind = kAttachmentKind;
  q.account_id = account;
  q.names = {policy_name};
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::erase_if(rows, [&](const store::Resource& r) {
    return json::parse(r.doc).value("policy_type", "") != policy_type;
  });
  return rows;
}

}  // namespace

const PolicyVersion* Policy::Default() const {
  for (const auto& v : versions) {
    if (v.id == default_version) return &v;
  }
  return nullptr;
}

bool ValidEntityName(std::string_view name, size_t max, bool allow_at) {
  if (name.empty() || name.size() > max) return false;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
              (allow_at && c == '@');
    if (!ok) return false;
  }
  return true;
}

// --- Users ----------------------------------------------------------------------

Result<User> Service::CreateUser(store::Tx& tx, const std::string& account, User user) const {
  SWASD_ASSIGN_OR_RETURN(auto existing, ByName(tx, kUserKind, account, user.name));
  if (existing) return errors::kUserExists;
  user.id = "2" + ids::RandomDigits(15, "ram/user");
  user.created_ms = user.updated_ms = NowMs();
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(account, user)));
  return user;
}

Result<User> Service::GetUser(store::Tx& tx, const std::string& account,
                              const std::string& name) const {
  SWASD_ASSIGN_OR_RETURN(auto r, ByName(tx, kUserKind, account, name));
  if (!r) return errors::kUserNotExist;
  return UserFrom(*r);
}

Result<std::vector<User>> Service::ListUsers(store::Tx& tx, const std::string& account) const {
  store::ResourceQuery q;
  q.kind = kUserKind;
  q.account_id = account;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::vector<User> out;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(User u, UserFrom(r));
    out.push_back(std::move(u));
  }
  return out;
}

Status Service::DeleteUser(store::Tx& tx, const std::string& account,
                           const std::string& name) const {
  SWASD_ASSIGN_OR_RETURN(User u, GetUser(tx, account, name));
  SWASD_ASSIGN_OR_RETURN(auto keys, ListAccessKeys(tx, account, name));
  if (!keys.empty()) return errors::kDeleteConflictUserAccessKey;
  SWASD_ASSIGN_OR_RETURN(auto attached, AttachmentsOf(tx, account, PrincipalKind::kUser, name));
  if (!attached.empty()) return errors::kDeleteConflictUserPolicy;
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kUserKind, account, u.id));
  (void)gone;
  return Status::Ok();
}

// --- AccessKeys --------------------------------------------------------------------

Result<std::vector<store::AccessKey>> Service::ListAccessKeys(store::Tx& tx,
                                                              const std::string& account,
                                                              const std::string& user) const {
  if (!user.empty()) {
    auto u = GetUser(tx, account, user);
    if (!u.ok()) return std::move(u).error();
  }
  SWASD_ASSIGN_OR_RETURN(auto all, tx.ListAccessKeys(account));
  std::erase_if(all, [&](const store::AccessKey& k) {
    return user.empty() ? k.principal_type != store::PrincipalType::kRoot
                        : (k.principal_type != store::PrincipalType::kRamUser ||
                           k.principal_name != user);
  });
  return all;
}

Result<store::AccessKey> Service::CreateAccessKey(store::Tx& tx, const std::string& account,
                                                  const std::string& user) const {
  SWASD_ASSIGN_OR_RETURN(auto existing, ListAccessKeys(tx, account, user));
  if (!user.empty() && existing.size() >= kMaxKeysPerUser) {
    return errors::kLimitExceededUserAccessKey;
  }
  store::AccessKey key;
  key.access_key_id = "LTAI" + ids::RandomAlnum(20, "accesskey");
  key.secret = ids::SecretAlnum(30);  // random even under --deterministic-ids
  key.account_id = account;
  key.principal_type = user.empty() ? store::PrincipalType::kRoot : store::PrincipalType::kRamUser;
  key.principal_name = user;
  key.active = true;
  key.created_at = NowMs() / 1000;
  SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(key));
  return key;
}

Status Service::UpdateAccessKey(store::Tx& tx, const std::string& account,
                                const std::string& user, const std::string& key_id,
                                bool active) const {
  SWASD_ASSIGN_OR_RETURN(auto keys, ListAccessKeys(tx, account, user));
  for (const auto& k : keys) {
    if (k.access_key_id == key_id) {
      SWASD_ASSIGN_OR_RETURN(bool found, tx.SetAccessKeyActive(key_id, active));
      (void)found;
      return Status::Ok();
    }
  }
  return errors::kAccessKeyNotExist;
}

Status Service::DeleteAccessKey(store::Tx& tx, const std::string& account,
                                const std::string& user, const std::string& key_id) const {
  SWASD_ASSIGN_OR_RETURN(auto keys, ListAccessKeys(tx, account, user));
  for (const auto& k : keys) {
    if (k.access_key_id == key_id) {
      SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteAccessKey(key_id));
      (void)gone;
      return Status::Ok();
    }
  }
  return errors::kAccessKeyNotExist;
}

// --- Policies ------------------------------------------------------------------------

Result<Policy> Service::CreatePolicy(store::Tx& tx, const std::string& account,
                                     const std::string& name, const std::string& description,
                                     const std::string& document) const {
  auto parsed = ram::ParsePolicy(document, ram::PolicyKind::kIdentity);
  if (!parsed.ok()) return std::move(parsed).error();
  if (ram::FindSystemPolicy(name) != nullptr) return errors::kPolicyExists;
  SWASD_ASSIGN_OR_RETURN(auto existing, tx.GetResource(kPolicyKind, account, Scoped(account, name)));
  if (existing) return errors::kPolicyExists;
  Policy p;
  p.name = name;
  p.type = "Custom";
  p.description = description;
  p.created_ms = p.updated_ms = NowMs();
  p.versions = {{"v1", document, p.created_ms}};
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(account, p)));
  return p;
}

Result<Policy> Service::GetPolicy(store::Tx& tx, const std::string& account,
                                  const std::string& name, const std::string& type) const {
  Policy p;
  if (type == "System") {
    const ram::SystemPolicy* s = ram::FindSystemPolicy(name);
    if (s == nullptr) return errors::kPolicyNotExist;
    p = FromSystem(*s);
  } else {
    SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kPolicyKind, account, Scoped(account, name)));
    if (!r) return errors::kPolicyNotExist;
    SWASD_ASSIGN_OR_RETURN(p, PolicyFrom(*r));
  }
  SWASD_ASSIGN_OR_RETURN(auto attached, AttachmentsOfPolicy(tx, account, name, p.type));
  p.attachment_count = static_cast<int64_t>(attached.size());
  return p;
}

Result<std::vector<Policy>> Service::ListPolicies(store::Tx& tx, const std::string& account,
                                                  const std::optional<std::string>& type) const {
  std::vector<Policy> out;
  if (!type || *type == "System") {
    for (const auto& s : ram::SystemPolicies()) {
      SWASD_ASSIGN_OR_RETURN(Policy p, GetPolicy(tx, account, std::string(s.name), "System"));
      out.push_back(std::move(p));
    }
  }
  if (!type || *type == "Custom") {
    store::ResourceQuery q;
    q.kind = kPolicyKind;
    q.account_id = account;
    SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
    for (const auto& r : rows) {
      SWASD_ASSIGN_OR_RETURN(Policy p, GetPolicy(tx, account, r.name, "Custom"));
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<PolicyVersion> Service::CreatePolicyVersion(store::Tx& tx, const std::string& account,
                                                   const std::string& name,
                                                   const std::string& document, bool set_default,
                                                   bool rotate) const {
  auto parsed = ram::ParsePolicy(document, ram::PolicyKind::kIdentity);
  if (!parsed.ok()) return std::move(parsed).error();
  if (ram::FindSystemPolicy(name) != nullptr) return errors::kSystemPolicyReadOnly;
  SWASD_ASSIGN_OR_RETURN(Policy p, GetPolicy(tx, account, name, "Custom"));
  if (p.versions.size() >= kMaxVersions) {
    if (!rotate) return errors::kLimitExceededPolicyVersion;
    auto oldest = std::find_if(p.versions.begin(), p.versions.end(),
                               [&](const PolicyVersion& v) { return v.id != p.default_version; });
    p.versions.erase(oldest);
  }
  PolicyVersion v{"v" + std::to_string(p.next_version++), document, NowMs()};
  p.versions.push_back(v);
  if (set_default) p.default_version = v.id;
  p.updated_ms = v.created_ms;
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(account, p)));
  return v;
}

Status Service::SetDefaultPolicyVersion(store::Tx& tx, const std::string& account,
                                        const std::string& name,
                                        const std::string& version) const {
  if (ram::FindSystemPolicy(name) != nullptr) return errors::kSystemPolicyReadOnly;
  SWASD_ASSIGN_OR_RETURN(Policy p, GetPolicy(tx, account, name, "Custom"));
  bool found = std::any_of(p.versions.begin(), p.versions.end(),
                           [&](const PolicyVersion& v) { return v.id == version; });
  if (!found) return errors::kPolicyVersionNotExist;
  p.default_version = version;
  p.updated_ms = NowMs();
  return tx.PutResource(ToResource(account, p));
}

Status Service::DeletePolicy(store::Tx& tx, const std::string& account,
                             const std::string& name) const {
  if (ram::FindSystemPolicy(name) != nullptr) return errors::kSystemPolicyReadOnly;
  SWASD_ASSIGN_OR_RETURN(Policy p, GetPolicy(tx, account, name, "Custom"));
  if (p.attachment_count > 0) return errors::kDeleteConflictPolicyAttachment;
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kPolicyKind, account, Scoped(account, name)));
  (void)gone;
  return Status::Ok();
}

// --- Attachments -------------------------------------------------------------------------

Status Service::Attach(store::Tx& tx, const std::string& account, PrincipalKind kind,
                       const std::string& principal, const std::string& policy_type,
                       const std::string& policy_name) const {
  if (kind == PrincipalKind::kUser) {
    auto u = GetUser(tx, account, principal);
    if (!u.ok()) return std::move(u).error();
  } else {
    auto r = GetRole(tx, account, principal);
    if (!r.ok()) return std::move(r).error();
  }
  auto policy = GetPolicy(tx, account, policy_name, policy_type);
  if (!policy.ok()) return std::move(policy).error();
  std::string id = AttachmentId(account, kind, principal, policy_type, policy_name);
  SWASD_ASSIGN_OR_RETURN(auto existing, tx.GetResource(kAttachmentKind, account, id));
  if (existing) {
    return kind == PrincipalKind::kUser ? errors::kUserPolicyExists : errors::kRolePolicyExists;
  }
  store::Resource r;
  r.kind = kAttachmentKind;
  r.id = id;
  r.account_id = account;
  r.name = policy_name;
  r.parent_id = AttachmentParent(kind, principal);
  r.created_at = NowMs();
  r.doc = json{{"policy_type", policy_type}}.dump();
  return tx.PutResource(r);
}

Status Service::Detach(store::Tx& tx, const std::string& account, PrincipalKind kind,
                       const std::string& principal, const std::string& policy_type,
                       const std::string& policy_name) const {
  if (kind == PrincipalKind::kUser) {
    auto u = GetUser(tx, account, principal);
    if (!u.ok()) return std::move(u).error();
  } else {
    auto r = GetRole(tx, account, principal);
    if (!r.ok()) return std::move(r).error();
  }
  SWASD_ASSIGN_OR_RETURN(
      bool gone, tx.DeleteResource(kAttachmentKind, account,
                                   AttachmentId(account, kind, principal, policy_type, policy_name)));
  if (!gone) {
    return kind == PrincipalKind::kUser ? errors::kUserPolicyNotExist : errors::kRolePolicyNotExist;
  }
  return Status::Ok();
}

Result<std::vector<Attachment>> Service::AttachmentsOf(store::Tx& tx, const std::string& account,
                                                       PrincipalKind kind,
                                                       const std::string& principal) const {
  store::ResourceQuery q;
  q.kind = kAttachmentKind;
  q.account_id = account;
  q.parent_id = AttachmentParent(kind, principal);
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::vector<Attachment> out;
  for (const auto& r : rows) {
    out.push_back({kind, principal, json::parse(r.doc).value("policy_type", "Custom"), r.name,
                   r.created_at});
  }
  return out;
}

// --- Roles --------------------------------------------------------------------------------

Result<Role> Service::CreateRole(store::Tx& tx, const std::string& account, Role role) const {
  auto trust = ram::ParsePolicy(role.trust_document, ram::PolicyKind::kTrust);
  if (!trust.ok()) return std::move(trust).error();
  SWASD_ASSIGN_OR_RETURN(auto existing, ByName(tx, kRoleKind, account, role.name));
  if (existing) return errors::kRoleExists;
  role.id = "3" + ids::RandomDigits(18, "ram/role");
  role.arn = "acs:ram::" + account + ":role/" + role.name;
  role.created_ms = role.updated_ms = NowMs();
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(account, role)));
  return role;
}

Result<Role> Service::GetRole(store::Tx& tx, const std::string& account,
                              const std::string& name) const {
  SWASD_ASSIGN_OR_RETURN(auto r, ByName(tx, kRoleKind, account, name));
  if (!r) return errors::kRoleNotExist;
  return RoleFrom(*r);
}

Status Service::DeleteRole(store::Tx& tx, const std::string& account,
                           const std::string& name) const {
  SWASD_ASSIGN_OR_RETURN(Role role, GetRole(tx, account, name));
  SWASD_ASSIGN_OR_RETURN(auto attached, AttachmentsOf(tx, account, PrincipalKind::kRole, name));
  if (!attached.empty()) return errors::kDeleteConflictRolePolicy;
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kRoleKind, account, role.id));
  (void)gone;
  return Status::Ok();
}

namespace {

// The key STS tokens and session secrets are derived from, created on first
// use and kept as a store secret.
Result<std::string> StsSigningKey(store::Tx& tx) {
  SWASD_ASSIGN_OR_RETURN(auto key, tx.GetSecret(gateway::kStsSigningKeyName));
  if (key) return *key;
  std::string fresh = crypto::RandomBytes(32);
  SWASD_RETURN_IF_ERROR(tx.PutSecret(gateway::kStsSigningKeyName, fresh));
  return fresh;
}

}  // namespace

Result<AssumedRole> Service::AssumeRole(store::Tx& tx, const AssumeRoleRequest& req) const {
  auto role = GetRole(tx, req.account, req.role_name);
  if (!role.ok()) return Error(errors::kRoleNotExist);
  if (req.duration_seconds < 900 || req.duration_seconds > role->max_session_duration) {
    return errors::kInvalidDurationSeconds;
  }
  auto trust = ram::ParsePolicy(role->trust_document, ram::PolicyKind::kTrust);
  ram::RequestContext rc;
  rc.action = "sts:AssumeRole";
  rc.resource = role->arn;
  rc.keys[std::string(ram::kKeySourceIp)] = {req.source_ip};
  rc.keys[std::string(ram::kKeyCurrentTime)] = {FormatIso8601(clock_->Now())};
  if (req.external_id) rc.keys[std::string(ram::kKeyExternalId)] = {*req.external_id};
  if (!trust.ok() || ram::EvaluateTrust(*trust, req.caller_arn, req.caller_account, rc) !=
                         ram::Decision::kAllow) {
    return errors::kNoPermission;
  }
  SWASD_ASSIGN_OR_RETURN(std::string key, StsSigningKey(tx));
  gateway::StsSession sess;
  sess.access_key_id = gateway::NewStsAccessKeyId();
  sess.account_id = req.account;
  sess.role_name = role->name;
  sess.role_id = role->id;
  sess.session_name = req.session_name;
  sess.caller_account_id = req.caller_account;
  sess.policy = req.session_policy;
  sess.expires_at = clock_->NowUnixSeconds() + req.duration_seconds;
  AssumedRole out;
  out.arn = "acs:ram::" + req.account + ":role/" + role->name + "/" + req.session_name;
  out.assumed_role_id = role->id + ":" + req.session_name;
  out.access_key_id = sess.access_key_id;
  out.access_key_secret = gateway::StsSecret(key, sess.access_key_id);
  out.security_token = gateway::MintStsToken(key, sess);
  out.expires_at = sess.expires_at;
  return out;
}

Result<std::vector<ram::Policy>> Service::EffectivePolicies(store::Tx& tx,
                                                            const std::string& account,
                                                            PrincipalKind kind,
                                                            const std::string& principal) const {
  std::vector<ram::Policy> out;
  if (kind == PrincipalKind::kRole && !GetRole(tx, account, principal).ok()) return out;
  SWASD_ASSIGN_OR_RETURN(auto attached, AttachmentsOf(tx, account, kind, principal));
  for (const auto& a : attached) {
    if (a.policy_type == "System") {
      if (const ram::SystemPolicy* s = ram::FindSystemPolicy(a.policy_name)) {
        out.push_back(ram::ParsedSystemPolicy(*s));
      }
      continue;
    }
    auto p = GetPolicy(tx, account, a.policy_name, "Custom");
    if (!p.ok()) continue;  // deleted under us: grants nothing
    const PolicyVersion* v = p->Default();
    if (v == nullptr) continue;
    auto parsed = ram::ParsePolicy(v->document, ram::PolicyKind::kIdentity);
    if (parsed.ok()) out.push_back(std::move(parsed).value());
  }
  return out;
}

}  // namespace swasd::iam
