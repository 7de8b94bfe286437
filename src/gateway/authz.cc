#include "gateway/authz.h"

#include "base/errors.h"

namespace swasd::gateway {

std::string ResourceArn(const OperationSpec& op, const CallContext& ctx,
                        const Args& args) {
  std::string_view t = op.resource;
  std::string out;
  size_t i = 0;
  while (i < t.size()) {
    size_t open = t.find('{', i);
    if (open == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    size_t close = t.find('}', open);
    if (close == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    out.append(t.substr(i, open - i));
    std::string_view key = t.substr(open + 1, close - open - 1);
    if (key == "AccountId") {
      out += ctx.principal.account_id;
    } else if (auto v = args.String(key); v && !v->empty()) {
      out += *v;
    } else {
      out += '*';
    }
    i = close + 1;
  }
  return out;
}

Error AccessDenied(const CallContext& ctx, const OperationSpec& op,
                   bool explicit_deny) {
  const Principal& p = ctx.principal;
  Error e(errors::kForbiddenRam);
  e.WithDetail("AccessDeniedDetail",
               {{"AuthAction", std::string(op.ram_action)},
                {"AuthPrincipalType",
                 p.type == Principal::Type::kRoot
                     ? "Account"
                     : p.type == Principal::Type::kRamUser ? "SubUser" : "AssumedRoleUser"},
                {"AuthPrincipalDisplayName", p.name},
                {"AuthPrincipalOwnerId", p.account_id},
                {"PolicyType", "AccountLevelIdentityBasedPolicy"},
                {"NoPermissionType",
                 explicit_deny ? "ExplicitDeny" : "ImplicitDeny"}});
  return e;
}

Status RootOnlyAuthorizer::Authorize(const CallContext& ctx,
                                     const OperationSpec& op,
                                     const Args& args) const {
  if (ctx.principal.type == Principal::Type::kRoot) return Status::Ok();
  return AccessDenied(ctx, op, /*explicit_deny=*/false);
}

}  // namespace swasd::gateway
