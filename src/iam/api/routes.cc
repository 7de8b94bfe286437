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
using gateway::OperationSpec;
using gateway::ParamSpec;
using gateway::ParamType;

std::string Date(int64_t ms) { return FormatIso8601(ms / 1000); }

OperationSpec Op(const gateway::ProductSpec& product, std::string_view action,
                 std::string_view summary, std::string_view resource, bool mutating,
                 std::vector<ParamSpec> params) {
  OperationSpec op;
  op.product = product.code;
  op.version = product.version;
  op.action = action;
  op.summary = summary;
  op.resource = resource;
  op.mutating = mutating;
  op.ram_action = std::string(product.code) + ":" + std::string(action);
  op.params = std::move(params);
  return op;
}

ParamSpec Name(std::string_view name, bool required, size_t max, std::string_view what) {
  return {.name = name, .required = required, .description = what, .max_length = max};
}
ParamSpec Doc(std::string_view name, bool required, std::string_view what) {
  return {.name = name, .required = required, .description = what, .max_length = 6144};
}
ParamSpec PolicyTypeParam(bool required) {
  return {.name = "PolicyType", .required = required, .description = "System or Custom.",
          .allowed = {"System", "Custom"}};
}

Status CheckName(std::string_view param, const std::string& value, size_t max, bool at) {
  if (!ValidEntityName(value, max, at)) {
    return ::swasd::errors::InvalidParam(param, "1-" + std::to_string(max) +
                                                    " letters, digits, '.', '_', '-'" +
                                                    (at ? ", '@'" : ""));
  }
  return Status::Ok();
}

template <typename F>
void Writing(std::vector<OperationSpec>* ops, const Services* s, OperationSpec op, F fn) {
  std::string ram = op.ram_action;
  op.claims_nonce = true;  // the handler's only write is Mutator::Run
  op.handler = [s, ram, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    return s->mutator->Run(ctx, ram, args, [&](store::Tx& tx) { return fn(tx, ctx, args); });
  };
  ops->push_back(std::move(op));
}

template <typename F>
void Reading(std::vector<OperationSpec>* ops, const Services* s, OperationSpec op, F fn) {
  op.handler = [s, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    return gateway::ReadJson(s->store, [&](store::Tx& tx) { return fn(tx, ctx, args); });
  };
  ops->push_back(std::move(op));
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

ParamSpec MarkerParam() { return {.name = "Marker", .description = "Where the page starts.", .max_length = 64}; }
ParamSpec MaxItemsParam() {
  return {.name = "MaxItems", .type = ParamType::kInteger, .description = "1-1000 (default 100).",
          .min_value = 1, .max_value = 1000};
}

constexpr char kUserArn[] = "acs:ram:*:{AccountId}:user/{UserName}";
constexpr char kPolicyArn[] = "acs:ram:*:{AccountId}:policy/{PolicyName}";
constexpr char kRoleArn[] = "acs:ram:*:{AccountId}:role/{RoleName}";

void AddUsers(std::vector<OperationSpec>* ops, const Services* s) {
  Writing(ops, s,
          Op(kRamProduct, "CreateUser", "Creates a RAM user.", kUserArn, true,
             {Name("UserName", true, 64, "1-64: letters, digits, '.', '_', '-', '@'."),
              Name("DisplayName", false, 128, "Display name."),
              Name("MobilePhone", false, 32, "Mobile phone."), Name("Email", false, 128, "Email."),
              Name("Comments", false, 128, "Comments.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
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
  Reading(ops, s,
          Op(kRamProduct, "GetUser", "Gets a RAM user.", kUserArn, false,
             {Name("UserName", true, 64, "The user.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(User u, s->service->GetUser(tx, ctx.principal.account_id,
                                                               *args.String("UserName")));
            return Json{{"User", UserJson(u)}};
          });
  Reading(ops, s,
          Op(kRamProduct, "ListUsers", "Lists RAM users.", "acs:ram:*:{AccountId}:user/*", false,
             {MarkerParam(), MaxItemsParam()}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(auto users, s->service->ListUsers(tx, ctx.principal.account_id));
            return MarkerPage(users, args, "Users", "User", UserJson);
          });
  Writing(ops, s,
          Op(kRamProduct, "DeleteUser", "Deletes a RAM user without keys or policies.", kUserArn,
             true, {Name("UserName", true, 64, "The user.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(
                s->service->DeleteUser(tx, ctx.principal.account_id, *args.String("UserName")));
            return Json::object();
          });

  Writing(ops, s,
          Op(kRamProduct, "CreateAccessKey", "Creates an AccessKey for a RAM user (or the account).",
             kUserArn, true, {Name("UserName", false, 64, "The user; absent: the account itself.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string user = args.String("UserName").value_or(
                ctx.principal.type == gateway::Principal::Type::kRamUser ? ctx.principal.user_name
                                                                         : "");
            SWASD_ASSIGN_OR_RETURN(auto key,
                                   s->service->CreateAccessKey(tx, ctx.principal.account_id, user));
            return Json{{"AccessKey", KeyJson(key, true)}};
          });
  Reading(ops, s,
          Op(kRamProduct, "ListAccessKeys", "Lists a RAM user's AccessKeys (no secrets).", kUserArn,
             false, {Name("UserName", false, 64, "The user; absent: the account itself.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string user = args.String("UserName").value_or(
                ctx.principal.type == gateway::Principal::Type::kRamUser ? ctx.principal.user_name
                                                                         : "");
            SWASD_ASSIGN_OR_RETURN(auto keys,
                                   s->service->ListAccessKeys(tx, ctx.principal.account_id, user));
            Json list = Json::array();
            for (const auto& k : keys) list.push_back(KeyJson(k, false));
            return Json{{"AccessKeys", {{"AccessKey", std::move(list)}}}};
          });
  Writing(ops, s,
          Op(kRamProduct, "UpdateAccessKey", "Activates or deactivates an AccessKey.", kUserArn,
             true,
             {Name("UserName", false, 64, "The user; absent: the account itself."),
              Name("UserAccessKeyId", true, 64, "The AccessKey."),
              {.name = "Status", .required = true, .description = "Active or Inactive.",
               .allowed = {"Active", "Inactive"}}}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->UpdateAccessKey(
                tx, ctx.principal.account_id, args.String("UserName").value_or(""),
                *args.String("UserAccessKeyId"), *args.String("Status") == "Active"));
            return Json::object();
          });
  Writing(ops, s,
          Op(kRamProduct, "DeleteAccessKey", "Deletes an AccessKey.", kUserArn, true,
             {Name("UserName", false, 64, "The user; absent: the account itself."),
              Name("UserAccessKeyId", true, 64, "The AccessKey.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->DeleteAccessKey(
                tx, ctx.principal.account_id, args.String("UserName").value_or(""),
                *args.String("UserAccessKeyId")));
            return Json::object();
          });
}

void AddPolicies(std::vector<OperationSpec>* ops, const Services* s) {
  OperationSpec create = Op(kRamProduct, "CreatePolicy", "Creates a custom policy.", kPolicyArn,
                            true,
                            {Name("PolicyName", true, 128, "1-128: letters, digits, '-'."),
                             Name("Description", false, 1024, "Description."),
                             Doc("PolicyDocument", true, "The policy, JSON text.")});
  create.unsupported = {"Tag"};
  Writing(ops, s, std::move(create),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
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
  Reading(ops, s,
          Op(kRamProduct, "GetPolicy", "Gets a policy and its default version.", kPolicyArn, false,
             {Name("PolicyName", true, 128, "The policy."), PolicyTypeParam(true)}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(Policy p, s->service->GetPolicy(tx, ctx.principal.account_id,
                                                                   *args.String("PolicyName"),
                                                                   *args.String("PolicyType")));
            const PolicyVersion* v = p.Default();
            return Json{{"Policy", PolicyJson(p, true)},
                        {"DefaultPolicyVersion", v ? VersionJson(*v, true) : Json::object()}};
          });
  OperationSpec list = Op(kRamProduct, "ListPolicies", "Lists system and custom policies.",
                          "acs:ram:*:{AccountId}:policy/*", false,
                          {PolicyTypeParam(false), MarkerParam(), MaxItemsParam()});
  list.unsupported = {"Tag"};
  Reading(ops, s, std::move(list),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(auto all, s->service->ListPolicies(tx, ctx.principal.account_id,
                                                                      args.String("PolicyType")));
            return MarkerPage(all, args, "Policies", "Policy",
                              [](const Policy& p) { return PolicyJson(p, false); });
          });
  Writing(ops, s,
          Op(kRamProduct, "CreatePolicyVersion", "Adds a version to a custom policy.", kPolicyArn,
             true,
             {Name("PolicyName", true, 128, "The policy."),
              Doc("PolicyDocument", true, "The policy, JSON text."),
              gateway::BoolParam("SetAsDefault", "Make it the default version."),
              {.name = "RotateStrategy",
               .description = "None or DeleteOldestNonDefaultVersionWhenLimitExceeded.",
               .allowed = {"None", "DeleteOldestNonDefaultVersionWhenLimitExceeded"}}}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            bool set_default = args.Boolean("SetAsDefault").value_or(false);
            SWASD_ASSIGN_OR_RETURN(
                PolicyVersion v,
                s->service->CreatePolicyVersion(
                    tx, ctx.principal.account_id, *args.String("PolicyName"),
                    *args.String("PolicyDocument"), set_default,
                    args.String("RotateStrategy").value_or("None") != "None"));
            return Json{{"PolicyVersion", VersionJson(v, set_default)}};
          });
  Writing(ops, s,
          Op(kRamProduct, "SetDefaultPolicyVersion", "Chooses a policy's default version.",
             kPolicyArn, true,
             {Name("PolicyName", true, 128, "The policy."), Name("VersionId", true, 16, "v1, v2...")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(s->service->SetDefaultPolicyVersion(
                tx, ctx.principal.account_id, *args.String("PolicyName"), *args.String("VersionId")));
            return Json::object();
          });
  OperationSpec del = Op(kRamProduct, "DeletePolicy", "Deletes an unattached custom policy.",
                         kPolicyArn, true, {Name("PolicyName", true, 128, "The policy.")});
  del.unsupported = {"CascadingDelete"};
  Writing(ops, s, std::move(del),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
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
    OperationSpec op = Op(kRamProduct, a.action,
                          a.attach ? "Attaches a policy." : "Detaches a policy.",
                          user ? kUserArn : kRoleArn, true,
                          {PolicyTypeParam(true), Name("PolicyName", true, 128, "The policy."),
                           Name(user ? "UserName" : "RoleName", true, 64, "The principal.")});
    op.unsupported = {"ResourceGroupId"};
    AttachOp copy = a;
    Writing(ops, s, std::move(op),
            [s, copy, user](store::Tx& tx, const CallContext& ctx,
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
  Reading(ops, s,
          Op(kRamProduct, "ListPoliciesForUser", "Lists the policies attached to a user.", kUserArn,
             false, {Name("UserName", true, 64, "The user.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
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

void AddRoles(std::vector<OperationSpec>* ops, const Services* s) {
  OperationSpec create =
      Op(kRamProduct, "CreateRole", "Creates a role with a trust policy.", kRoleArn, true,
         {Name("RoleName", true, 64, "1-64: letters, digits, '.', '_', '-'."),
          Doc("AssumeRolePolicyDocument", true, "Who may assume the role, JSON text."),
          Name("Description", false, 1024, "Description."),
          {.name = "MaxSessionDuration", .type = ParamType::kInteger,
           .description = "3600-43200 seconds (default 3600).", .min_value = 3600,
           .max_value = 43200}});
  create.unsupported = {"Tag"};
  Writing(ops, s, std::move(create),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
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
  Reading(ops, s,
          Op(kRamProduct, "GetRole", "Gets a role.", kRoleArn, false,
             {Name("RoleName", true, 64, "The role.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(Role r, s->service->GetRole(tx, ctx.principal.account_id,
                                                               *args.String("RoleName")));
            return Json{{"Role", RoleJson(r)}};
          });
  Writing(ops, s,
          Op(kRamProduct, "DeleteRole", "Deletes a role without attached policies.", kRoleArn, true,
             {Name("RoleName", true, 64, "The role.")}),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_RETURN_IF_ERROR(
                s->service->DeleteRole(tx, ctx.principal.account_id, *args.String("RoleName")));
            return Json::object();
          });
}

// --- STS --------------------------------------------------------------------------------

void AddSts(std::vector<OperationSpec>* ops, const Services* s) {
  OperationSpec assume = Op(
      kStsProduct, "AssumeRole", "Issues temporary credentials for a role.", "{RoleArn}", true,
      {Name("RoleArn", true, 256, "acs:ram::<account>:role/<name>."),
       Name("RoleSessionName", true, 64, "2-64: letters, digits, '.', '@', '-', '_'."),
       {.name = "DurationSeconds", .type = ParamType::kInteger,
        .description = "900 to the role's MaxSessionDuration (default 3600)."},
       Doc("Policy", false, "Session policy that narrows the role's permissions."),
       Name("ExternalId", false, 1224,
            "Offered to the trust policy as the condition key sts:ExternalId."),
       Name("SourceIdentity", false, 64, "Echoed back.")});
  assume.handler = [s](const CallContext& ctx, const Args& args) -> Result<Json> {
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
  };
  ops->push_back(std::move(assume));

  OperationSpec who = Op(kStsProduct, "GetCallerIdentity", "Tells who is calling.", "*", false, {});
  who.authorize = false;  // any authenticated caller may ask who it is
  who.handler = [s](const CallContext& ctx, const Args&) -> Result<Json> {
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
  };
  ops->push_back(std::move(who));
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_RETURN_IF_ERROR(registry->AddProduct(kRamProduct));
  SWASD_RETURN_IF_ERROR(registry->AddProduct(kStsProduct));
  std::vector<OperationSpec> ops;
  AddUsers(&ops, services);
  AddPolicies(&ops, services);
  AddRoles(&ops, services);
  AddSts(&ops, services);
  for (auto& op : ops) SWASD_RETURN_IF_ERROR(registry->AddOperation(std::move(op)));
  return Status::Ok();
}

}  // namespace swasd::iam::api
