#include "iam/api/routes.h"

#include <regex>

#include "base/errors.h"
#include "gateway/common_params.h"
#include "iam/authorizer.h"
#include "iam/errors.h"

namespace swasd::iam::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::Routes;

std::string Date(int64_t ms) { return FormatIso8601(ms / 1000); }

Status CheckName(std::string_view param, const std::string& value, size_t max, bool at) {
  if (!ValidEntityName(value, max, at)) {
    return ::swasd::errors::InvalidParam(param, "1-" + std::to_string(max) +
                                                    " letters, digits, '.', '_', '-'" +
                                                    (at ? ", '@'" : ""));
  }
  return Status::Ok();
}

Json UserJson(const User& u) {
  return {{"UserId", u.id},         {"UserName", u.name},    {"DisplayName", u.display_name},
          {"MobilePhone", u.mobile}, {"Email", u.email},      {"Comments", u.comments},
          {"CreateDate", Date(u.created_ms)}, {"UpdateDate", Date(u.updated_ms)}};
}

Json PolicyJson(const Policy& p, bool with_document) {
  Json j = {{"PolicyName", p.name},
            {"PolicyType", p.type},
            {"Description", p.description},
            {"DefaultVersion", p.default_version},
            {"AttachmentCount", p.attachment_count},
            {"CreateDate", Date(p.created_ms)},
            {"UpdateDate", Date(p.updated_ms)}};
  if (with_document) {
    const PolicyVersion* v = p.Default();
    j["PolicyDocument"] = v ? v->document : "";
  }
  return j;
}

Json VersionJson(const PolicyVersion& v, bool is_default) {
  return {{"VersionId", v.id}, {"IsDefaultVersion", is_default},
          {"PolicyDocument", v.document}, {"CreateDate", Date(v.created_ms)}};
}

Json RoleJson(const Role& r) {
  return {{"RoleId", r.id},
          {"RoleName", r.name},
          {"Arn", r.arn},
          {"Description", r.description},
          {"AssumeRolePolicyDocument", r.trust_document},
          {"MaxSessionDuration", r.max_session_duration},
          {"CreateDate", Date(r.created_ms)},
          {"UpdateDate", Date(r.updated_ms)}};
}

Json KeyJson(const store::AccessKey& k, bool with_secret) {
  Json j = {{"AccessKeyId", k.access_key_id},
            {"Status", k.active ? "Active" : "Inactive"},
            {"CreateDate", FormatIso8601(k.created_at)}};
  if (with_secret) j["AccessKeySecret"] = k.secret;
  return j;
}

// Marker/MaxItems paging over a full list (RAM's style): the marker is the
// index of the next item.
template <typename T, typename F>
Json MarkerPage(const std::vector<T>& all, const Args& args, const char* outer,
                const char* inner, F to_json) {
  size_t start = 0;
  if (auto m = args.String("Marker"); m && !m->empty()) {
    try {
      start = std::stoul(*m);
    } catch (...) {
      start = all.size();
    }
  }
  size_t max = static_cast<size_t>(args.Integer("MaxItems").value_or(100));
  Json items = Json::array();
  for (size_t i = start; i < all.size() && i < start + max; ++i) items.push_back(to_json(all[i]));
  bool truncated = start + max < all.size();
  Json out = {{"IsTruncated", truncated}, {outer, {{inner, std::move(items)}}}};
  if (truncated) out["Marker"] = std::to_string(start + max);
  return out;
}

void AddUsers(Routes* r, const Services* s) {
  r->Write("CreateUser", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            User u;
            u.name = *args.String("UserName");
            SWASD_RETURN_IF_ERROR(CheckName("UserName", u.name, 64, true));
            u.display_name = args.String("DisplayName").value_or(u.name);
            u.mobile = args.String("MobilePhone").value_or("");
            u.email = args.String("Email").value_or("");
            u.comments = args.String("Comments").value_or("");
            SWASD_ASSIGN_OR_RETURN(u, s->service->CreateUser(tx, ctx.principal.account_id, u));
            Json j = UserJson(u);
            j.erase("UpdateDate");
            return Json{{"User", j}};
          });
  r->Read("GetUser", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(User u, s->service->GetUser(tx, ctx.principal.account_id,
                                                               *args.String("UserName")));
            return Json{{"User", UserJson(u)}};
          });
  r->Read("ListUsers", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(auto users, s->service->ListUsers(tx, ctx.principal.account_id));
            return MarkerPage(users, args, "Users", "User", UserJson);
          });
  r->Write("DeleteUser", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(
                s->service->DeleteUser(tx, ctx.principal.account_id, *args.String("UserName")));
            return Json::object();
          });

  r->Write("CreateAccessKey", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string user = args.String("UserName").value_or(
                ctx.principal.type == gateway::Principal::Type::kRamUser ? ctx.principal.user_name
                                                                         : "");
            SWASD_ASSIGN_OR_RETURN(auto key,
                                   s->service->CreateAccessKey(tx, ctx.principal.account_id, user));
            return Json{{"AccessKey", KeyJson(key, true)}};
          });
  r->Read("ListAccessKeys", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string user = args.String("UserName").value_or(
                ctx.principal.type == gateway::Principal::Type::kRamUser ? ctx.principal.user_name
                                                                         : "");
            SWASD_ASSIGN_OR_RETURN(auto keys,
                                   s->service->ListAccessKeys(tx, ctx.principal.account_id, user));
            Json list = Json::array();
            for (const auto& k : keys) list.push_back(KeyJson(k, false));
            return Json{{"AccessKeys", {{"AccessKey", std::move(list)}}}};
          });
  r->Write("UpdateAccessKey", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->UpdateAccessKey(
                tx, ctx.principal.account_id, args.String("UserName").value_or(""),
                *args.String("UserAccessKeyId"), *args.String("Status") == "Active"));
            return Json::object();
          });
  r->Write("DeleteAccessKey", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->DeleteAccessKey(
                tx, ctx.principal.account_id, args.String("UserName").value_or(""),
                *args.String("UserAccessKeyId")));
            return Json::object();
          });
}

void AddPolicies(Routes* r, const Services* s) {
  r->Write("CreatePolicy", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string name = *args.String("PolicyName");
            SWASD_RETURN_IF_ERROR(CheckName("PolicyName", name, 128, false));
            SWASD_ASSIGN_OR_RETURN(
                Policy p, s->service->CreatePolicy(tx, ctx.principal.account_id, name,
                                                   args.String("Description").value_or(""),
                                                   *args.String("PolicyDocument")));
            Json j = PolicyJson(p, false);
            j.erase("AttachmentCount");
            j.erase("UpdateDate");
            return Json{{"Policy", j}};
          });
  r->Read("GetPolicy", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(Policy p, s->service->GetPolicy(tx, ctx.principal.account_id,
                                                                   *args.String("PolicyName"),
                                                                   *args.String("PolicyType")));
            const PolicyVersion* v = p.Default();
            return Json{{"Policy", PolicyJson(p, true)},
                        {"DefaultPolicyVersion", v ? VersionJson(*v, true) : Json::object()}};
          });
  r->Read("ListPolicies", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(auto all, s->service->ListPolicies(tx, ctx.principal.account_id,
                                                                      args.String("PolicyType")));
            return MarkerPage(all, args, "Policies", "Policy",
                              [](const Policy& p) { return PolicyJson(p, false); });
          });
  r->Write("CreatePolicyVersion", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            bool set_default = args.Boolean("SetAsDefault").value_or(false);
            SWASD_ASSIGN_OR_RETURN(
                PolicyVersion v,
                s->service->CreatePolicyVersion(
                    tx, ctx.principal.account_id, *args.String("PolicyName"),
                    *args.String("PolicyDocument"), set_default,
                    args.String("RotateStrategy").value_or("None") != "None"));
            return Json{{"PolicyVersion", VersionJson(v, set_default)}};
          });
  r->Write("SetDefaultPolicyVersion", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->SetDefaultPolicyVersion(
                tx, ctx.principal.account_id, *args.String("PolicyName"), *args.String("VersionId")));
            return Json::object();
          });
  r->Write("DeletePolicy", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(
                s->service->DeletePolicy(tx, ctx.principal.account_id, *args.String("PolicyName")));
            return Json::object();
          });

  struct AttachOp {
    const char* action;
    bool attach;
    PrincipalKind kind;
  };
  for (const AttachOp& a : {AttachOp{"AttachPolicyToUser", true, PrincipalKind::kUser},
                            AttachOp{"DetachPolicyFromUser", false, PrincipalKind::kUser},
                            AttachOp{"AttachPolicyToRole", true, PrincipalKind::kRole},
                            AttachOp{"DetachPolicyFromRole", false, PrincipalKind::kRole}}) {
    bool user = a.kind == PrincipalKind::kUser;
    AttachOp copy = a;
    r->Write(a.action, [s, copy, user](store::Tx& tx, const CallContext& ctx,
                            const Args& args) -> Result<Json> {
              std::string principal = *args.String(user ? "UserName" : "RoleName");
              Status st = copy.attach
                              ? s->service->Attach(tx, ctx.principal.account_id, copy.kind,
                                                   principal, *args.String("PolicyType"),
                                                   *args.String("PolicyName"))
                              : s->service->Detach(tx, ctx.principal.account_id, copy.kind,
                                                   principal, *args.String("PolicyType"),
                                                   *args.String("PolicyName"));
              SWASD_RETURN_IF_ERROR(st);
              return Json::object();
            });
  }
  r->Read("ListPoliciesForUser", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string user = *args.String("UserName");
            SWASD_ASSIGN_OR_RETURN(User u, s->service->GetUser(tx, ctx.principal.account_id, user));
            (void)u;
            SWASD_ASSIGN_OR_RETURN(auto attached, s->service->AttachmentsOf(
                                                      tx, ctx.principal.account_id,
                                                      PrincipalKind::kUser, user));
            Json list = Json::array();
            for (const auto& a : attached) {
              auto p = s->service->GetPolicy(tx, ctx.principal.account_id, a.policy_name,
                                             a.policy_type);
              list.push_back({{"PolicyName", a.policy_name},
                              {"PolicyType", a.policy_type},
                              {"Description", p.ok() ? p->description : ""},
                              {"DefaultVersion", p.ok() ? p->default_version : ""},
                              {"AttachDate", Date(a.attached_ms)}});
            }
            return Json{{"Policies", {{"Policy", std::move(list)}}}};
          });
}

void AddRoles(Routes* r, const Services* s) {
  r->Write("CreateRole", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            Role r;
            r.name = *args.String("RoleName");
            SWASD_RETURN_IF_ERROR(CheckName("RoleName", r.name, 64, false));
            r.trust_document = *args.String("AssumeRolePolicyDocument");
            r.description = args.String("Description").value_or("");
            r.max_session_duration = args.Integer("MaxSessionDuration").value_or(3600);
            SWASD_ASSIGN_OR_RETURN(r, s->service->CreateRole(tx, ctx.principal.account_id, r));
            Json j = RoleJson(r);
            j.erase("UpdateDate");
            return Json{{"Role", j}};
          });
  r->Read("GetRole", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(Role r, s->service->GetRole(tx, ctx.principal.account_id,
                                                               *args.String("RoleName")));
            return Json{{"Role", RoleJson(r)}};
          });
  r->Write("DeleteRole", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(
                s->service->DeleteRole(tx, ctx.principal.account_id, *args.String("RoleName")));
            return Json::object();
          });
}

// --- STS --------------------------------------------------------------------------------

void AddSts(Routes* r, const Services* s) {
  r->Raw("AssumeRole", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    static const std::regex kArn(R"(acs:ram::(\d{1,32}):role/([A-Za-z0-9._-]{1,64}))",
                                 std::regex::icase);
    std::smatch m;
    std::string arn = *args.String("RoleArn");
    if (!std::regex_match(arn, m, kArn)) return Error(errors::kInvalidRoleArn);
    AssumeRoleRequest req;
    req.account = m[1];
    req.role_name = m[2];
    req.session_name = *args.String("RoleSessionName");
    static const std::regex kSession(R"([A-Za-z0-9.@_-]{2,64})");
    if (!std::regex_match(req.session_name, kSession)) {
      return Error(errors::kInvalidRoleSessionName);
    }
    req.duration_seconds = args.Integer("DurationSeconds").value_or(3600);
    req.session_policy = args.String("Policy").value_or("");
    if (!req.session_policy.empty()) {
      auto parsed = ram::ParsePolicy(req.session_policy, ram::PolicyKind::kIdentity);
      if (!parsed.ok()) return std::move(parsed).error();
    }
    req.external_id = args.String("ExternalId");
    req.caller_arn = PrincipalArn(ctx.principal);
    req.caller_account = ctx.principal.account_id;
    req.source_ip = ctx.source_ip;
    AssumedRole assumed;
    SWASD_RETURN_IF_ERROR(s->store->Write([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(assumed, s->service->AssumeRole(tx, req));
      return Status::Ok();
    }));
    return Json{{"SourceIdentity", args.String("SourceIdentity").value_or("")},
                {"AssumedRoleUser",
                 {{"Arn", assumed.arn}, {"AssumedRoleId", assumed.assumed_role_id}}},
                {"Credentials",
                 {{"AccessKeyId", assumed.access_key_id},
                  {"AccessKeySecret", assumed.access_key_secret},
                  {"SecurityToken", assumed.security_token},
                  {"Expiration", FormatIso8601(assumed.expires_at)}}}};
  });

  // Any authenticated caller may ask who it is (api/overlay: "authorize": false).
  r->RawRead("GetCallerIdentity", [s](const CallContext& ctx, const Args&) -> Result<Json> {
    const gateway::Principal& p = ctx.principal;
    Json out = {{"AccountId", p.account_id}, {"Arn", PrincipalArn(p)}};
    switch (p.type) {
      case gateway::Principal::Type::kRoot:
        out["IdentityType"] = "Account";
        out["UserId"] = p.account_id;
        out["PrincipalId"] = p.account_id;
        break;
      case gateway::Principal::Type::kRamUser: {
        out["IdentityType"] = "RAMUser";
        std::string user_id;
        SWASD_RETURN_IF_ERROR(s->store->Read([&](store::Tx& tx) -> Status {
          SWASD_ASSIGN_OR_RETURN(User u, s->service->GetUser(tx, p.account_id, p.user_name));
          user_id = u.id;
          return Status::Ok();
        }));
        out["UserId"] = user_id;
        out["PrincipalId"] = user_id;
        break;
      }
      case gateway::Principal::Type::kAssumedRole:
        out["IdentityType"] = "AssumedRoleUser";
        out["RoleId"] = p.role_id;
        out["PrincipalId"] = p.role_id + ":" + p.session_name;
        break;
    }
    return out;
  });
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* ram, gateway::Overlay::Builtin("ram", {}));
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* sts, gateway::Overlay::Builtin("sts", {}));
  Routes ram_routes(kRamProduct, ram, services);
  AddUsers(&ram_routes, services);
  AddPolicies(&ram_routes, services);
  AddRoles(&ram_routes, services);
  SWASD_RETURN_IF_ERROR(ram_routes.Register(registry));
  Routes sts_routes(kStsProduct, sts, services);
  AddSts(&sts_routes, services);
  return sts_routes.Register(registry);
}

}  // namespace swasd::iam::api
