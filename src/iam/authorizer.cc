#include "iam/authorizer.h"

#include <spdlog/spdlog.h>

#include "ram/evaluate.h"

namespace swasd::iam {

std::string PrincipalArn(const gateway::Principal& p) {
  switch (p.type) {
    case gateway::Principal::Type::kRoot:
      return "acs:ram::" + p.account_id + ":root";
    case gateway::Principal::Type::kRamUser:
      return "acs:ram::" + p.account_id + ":user/" + p.user_name;
    case gateway::Principal::Type::kAssumedRole:
      return "acs:ram::" + p.account_id + ":assumed-role/" + p.role_name + "/" + p.session_name;
  }
  return {};
}

Status RamAuthorizer::Authorize(const gateway::CallContext& ctx,
                                const gateway::OperationSpec& op,
                                const gateway::Args& args) const {
  const gateway::Principal& p = ctx.principal;
  if (p.type == gateway::Principal::Type::kRoot) return Status::Ok();

  ram::RequestContext rc;
  rc.action = op.ram_action;
  rc.resource = gateway::ResourceArn(op, ctx, args);
  rc.keys[std::string(ram::kKeySourceIp)] = {ctx.source_ip};
  rc.keys[std::string(ram::kKeyCurrentTime)] = {FormatIso8601(clock_->Now())};
  rc.keys[std::string(ram::kKeySecureTransport)] = {"false"};
  rc.keys[std::string(ram::kKeyAccessId)] = {p.access_key_id};

  std::vector<ram::Policy> policies;
  SWASD_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    PrincipalKind kind = p.type == gateway::Principal::Type::kRamUser ? PrincipalKind::kUser
                                                                      : PrincipalKind::kRole;
    const std::string& name =
        kind == PrincipalKind::kUser ? p.user_name : p.role_name;
    SWASD_ASSIGN_OR_RETURN(policies, service_->EffectivePolicies(tx, p.account_id, kind, name));
    return Status::Ok();
  }));
  std::vector<const ram::Policy*> refs;
  for (const auto& pol : policies) refs.push_back(&pol);

  ram::Decision decision;
  if (p.type == gateway::Principal::Type::kAssumedRole && !p.session_policy.empty()) {
    auto session = ram::ParsePolicy(p.session_policy, ram::PolicyKind::kIdentity);
    decision = session.ok() ? ram::EvaluateSession(refs, *session, rc)
                            : ram::Decision::kImplicitDeny;
  } else {
    decision = ram::Evaluate(refs, rc);
  }
  if (decision == ram::Decision::kAllow) return Status::Ok();
  bool explicit_deny = decision == ram::Decision::kExplicitDeny;
  if (mode_ == RamMode::kSoft) {
    spdlog::warn("request {}: RAM would deny {} on {} for {} ({}); allowed in soft mode",
                 ctx.request_id, rc.action, rc.resource, PrincipalArn(p),
                 explicit_deny ? "ExplicitDeny" : "ImplicitDeny");
    return Status::Ok();
  }
  Error e = gateway::AccessDenied(ctx, op, explicit_deny);
  if (op.product == "sts") {
    // STS answers its own denials with NoPermission (other-products.md §8).
    Error sts("NoPermission", 403,
              "You are not authorized to do this action. You should be authorized by RAM.");
    sts.WithDetail(e.detail_name(), e.detail());
    return sts;
  }
  return e;
}

}  // namespace swasd::iam
