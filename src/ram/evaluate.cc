#include "ram/evaluate.h"

#include <optional>

#include "base/strings.h"
#include "ram/match.h"

namespace swasd::ram {
namespace {

// The request's values for `key`: an exact match first, then ASCII
// case-insensitive. nullptr when absent.
const std::vector<std::string>* FindKey(const RequestContext& ctx,
                                        std::string_view key) {
  auto it = ctx.keys.find(std::string(key));
  if (it != ctx.keys.end()) return &it->second;
  for (const auto& [k, v] : ctx.keys) {
    if (EqualsIgnoreCase(k, key)) return &v;
  }
  return nullptr;
}

// The positive operator a negated one complements.
ConditionOperator Positive(ConditionOperator op) {
  switch (op) {
    case ConditionOperator::kStringNotEquals:
      return ConditionOperator::kStringEquals;
    case ConditionOperator::kStringNotEqualsIgnoreCase:
      return ConditionOperator::kStringEqualsIgnoreCase;
    case ConditionOperator::kStringNotLike:
      return ConditionOperator::kStringLike;
    case ConditionOperator::kNumericNotEquals:
      return ConditionOperator::kNumericEquals;
    case ConditionOperator::kDateNotEquals:
      return ConditionOperator::kDateEquals;
    case ConditionOperator::kNotIpAddress:
      return ConditionOperator::kIpAddress;
    default:
      return op;
  }
}

// Compares request value `l` with policy value `r` under a positive
// ordering operator.
template <typename T>
std::optional<bool> Compare(ConditionOperator op, T l, T r) {
  switch (op) {
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kDateEquals:
      return l == r;
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kDateLessThan:
      return l < r;
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kDateLessThanEquals:
      return l <= r;
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kDateGreaterThan:
      return l > r;
    case ConditionOperator::kNumericGreaterThanEquals:
    case ConditionOperator::kDateGreaterThanEquals:
      return l >= r;
    default:
      return std::nullopt;
  }
}

// Does request value `req` match policy value `pol` under positive `op`?
// nullopt when either does not parse as the operator's type.
std::optional<bool> ValueMatches(ConditionOperator op, const std::string& req,
                                 const std::string& pol) {
  switch (op) {
    case ConditionOperator::kStringEquals:
      return req == pol;
    case ConditionOperator::kStringEqualsIgnoreCase:
      return EqualsIgnoreCase(req, pol);
    case ConditionOperator::kStringLike:
      return WildcardMatch(pol, req, /*ignore_case=*/false);
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kNumericGreaterThanEquals: {
      std::optional<double> l = ParseNumber(req), r = ParseNumber(pol);
      if (!l || !r) return std::nullopt;
      return Compare(op, *l, *r);
    }
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals: {
      std::optional<int64_t> l = ParseDateMillis(req), r = ParseDateMillis(pol);
      if (!l || !r) return std::nullopt;
      return Compare(op, *l, *r);
    }
    case ConditionOperator::kBool: {
      std::optional<bool> l = ParseBool(req), r = ParseBool(pol);
      if (!l || !r) return std::nullopt;
      return *l == *r;
    }
    case ConditionOperator::kIpAddress: {
      std::optional<IpAddress> addr = ParseIpAddress(req);
      std::optional<IpBlock> block = ParseIpBlock(pol);
      if (!addr || !block) return std::nullopt;
      return IpInBlock(*addr, *block);
    }
    default:
      return std::nullopt;  // not an operator we know: never usable
  }
}

enum class Truth { kTrue, kFalse, kIndeterminate };

Truth EvaluateCondition(const Condition& c, const RequestContext& ctx) {
  const std::vector<std::string>* req = FindKey(ctx, c.key);
  if (req == nullptr || req->empty() || c.values.empty()) {
    return Truth::kIndeterminate;
  }
  ConditionOperator positive = Positive(c.op);
  // Every pair is checked (no early exit) so that one unusable value makes
  // the whole condition indeterminate regardless of order.
  bool any = false;
  for (const std::string& r : *req) {
    for (const std::string& p : c.values) {
      std::optional<bool> m = ValueMatches(positive, r, p);
      if (!m) return Truth::kIndeterminate;
      any = any || *m;
    }
  }
  bool holds = IsNegatedOperator(c.op) ? !any : any;
  return holds ? Truth::kTrue : Truth::kFalse;
}

bool ConditionsHold(const Statement& st, const RequestContext& ctx) {
  for (const Condition& c : st.conditions) {
    Truth t = EvaluateCondition(c, ctx);
    bool holds = t == Truth::kTrue ||
                 (t == Truth::kIndeterminate && st.effect == Effect::kDeny &&
                  IsNegatedOperator(c.op));
    if (!holds) return false;
  }
  return true;
}

bool ActionMatches(const Statement& st, std::string_view action) {
  if (st.actions.empty()) return false;  // only a hand-built policy
  bool any = false;
  for (const std::string& p : st.actions) {
    if (MatchAction(p, action)) {
      any = true;
      break;
    }
  }
  return st.not_action ? !any : any;
}

bool ResourceMatches(const Statement& st, std::string_view resource) {
  if (st.resources.empty()) return false;  // trust statements
  bool any = false;
  for (const std::string& p : st.resources) {
    if (MatchResource(p, resource)) {
      any = true;
      break;
    }
  }
  return st.not_resource ? !any : any;
}

bool IsAccountId(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

constexpr std::string_view kRamArnPrefix = "acs:ram::";

// Does RAM principal entry `e` name the caller?
bool RamEntryNames(std::string_view e, std::string_view caller_arn,
                   std::string_view caller_account) {
  if (e == "*") return StartsWithIgnoreCase(caller_arn, kRamArnPrefix);
  if (IsAccountId(e)) return !caller_account.empty() && e == caller_account;
  if (EqualsIgnoreCase(e, caller_arn)) return true;
  if (!StartsWithIgnoreCase(e, kRamArnPrefix)) return false;
  std::string_view rest = e.substr(kRamArnPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view account = rest.substr(0, colon);
  std::string_view resource = rest.substr(colon + 1);
  if (EqualsIgnoreCase(resource, "root")) {
    return !caller_account.empty() && account == caller_account;
  }
  if (StartsWithIgnoreCase(resource, "role/") && resource.size() > 5) {
    std::string session_prefix = std::string(kRamArnPrefix) +
                                 std::string(account) + ":assumed-role/" +
                                 std::string(resource.substr(5)) + "/";
    if (StartsWithIgnoreCase(caller_arn, session_prefix)) {
      std::string_view session = caller_arn.substr(session_prefix.size());
      return !session.empty() && session.find('/') == std::string_view::npos;
    }
  }
  return false;
}

bool PrincipalNames(const Principal& p, std::string_view caller_arn,
                    std::string_view caller_account) {
  if (p.any) return true;
  if (caller_arn.empty() && caller_account.empty()) return false;
  for (const std::string& e : p.ram) {
    if (RamEntryNames(e, caller_arn, caller_account)) return true;
  }
  for (const std::string& s : p.service) {
    if (!caller_arn.empty() && EqualsIgnoreCase(s, caller_arn)) return true;
  }
  for (const std::string& f : p.federated) {
    if (!caller_arn.empty() && EqualsIgnoreCase(f, caller_arn)) return true;
  }
  return false;
}

}  // namespace

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow:
      return "Allow";
    case Decision::kExplicitDeny:
      return "ExplicitDeny";
    case Decision::kImplicitDeny:
      return "ImplicitDeny";
  }
  return "ImplicitDeny";
}

Decision Evaluate(std::span<const Policy* const> policies,
                  const RequestContext& ctx) {
  bool allowed = false;
  for (const Policy* policy : policies) {
    if (policy == nullptr) continue;
    for (const Statement& st : policy->statements) {
      if (!ActionMatches(st, ctx.action) ||
          !ResourceMatches(st, ctx.resource) || !ConditionsHold(st, ctx)) {
        continue;
      }
      if (st.effect == Effect::kDeny) return Decision::kExplicitDeny;
      allowed = true;
    }
  }
  return allowed ? Decision::kAllow : Decision::kImplicitDeny;
}

Decision EvaluateSession(std::span<const Policy* const> identity_policies,
                         const Policy& session_policy,
                         const RequestContext& ctx) {
  Decision identity = Evaluate(identity_policies, ctx);
  const Policy* session_list[] = {&session_policy};
  Decision session = Evaluate(session_list, ctx);
  if (identity == Decision::kExplicitDeny ||
      session == Decision::kExplicitDeny) {
    return Decision::kExplicitDeny;
  }
  if (identity == Decision::kAllow && session == Decision::kAllow) {
    return Decision::kAllow;
  }
  return Decision::kImplicitDeny;
}

Decision EvaluateTrust(const Policy& trust,
                       std::string_view caller_principal_arn,
                       std::string_view caller_account,
                       const RequestContext& ctx) {
  constexpr std::string_view kAssumeRole = "sts:AssumeRole";
  bool allowed = false;
  for (const Statement& st : trust.statements) {
    if (!st.principal ||
        !PrincipalNames(*st.principal, caller_principal_arn, caller_account) ||
        !ActionMatches(st, kAssumeRole) || !ConditionsHold(st, ctx)) {
      continue;
    }
    if (st.effect == Effect::kDeny) return Decision::kExplicitDeny;
    allowed = true;
  }
  return allowed ? Decision::kAllow : Decision::kImplicitDeny;
}

}  // namespace swasd::ram
