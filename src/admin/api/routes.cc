#include "admin/api/routes.h"

#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "base/errors.h"
#include "state/state.h"

namespace swasd::admin::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::FaultRule;
using gateway::Json;

std::string ErrorsText(const FaultRule& r) {
  std::string out;
  for (const auto& [code, pct] : r.errors) {
    out += (out.empty() ? "" : ",") + code + "=" + std::to_string(pct);
  }
  return out;
}

std::string Describe(const FaultRule& r) {
  return r.product + " " + r.action + " account " + r.account + ": " + ErrorsText(r) +
         (r.delay_ms > 0 ? " +" + std::to_string(r.delay_ms) + " ms" : "");
}

Status IsOperator(const Services* s, const CallContext& ctx) {
  if (ctx.principal.type != gateway::Principal::Type::kRoot ||
      ctx.principal.account_id != s->operator_account) {
    return kForbiddenNotOperator;
  }
  return Status::Ok();
}

// Fault injection on, and the operator's root key calling.
Status Allowed(const Services* s, const CallContext& ctx) {
  if (s->faults == nullptr) return kFaultInjectionDisabled;
  return IsOperator(s, ctx);
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* overlay,
                         gateway::Overlay::Builtin(kProduct.code, {}));
  gateway::Routes routes(kProduct, overlay, services);
  const Services* s = services;
  routes.Raw("SetFaultRule", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(Allowed(s, ctx));
    FaultRule rule;
    // Errors, a delay, or both.
    const std::optional<std::string> errors = args.String("Errors");
    rule.delay_ms = static_cast<int>(args.Integer("DelayMs").value_or(0));
    if ((!errors || errors->empty()) && rule.delay_ms == 0) {
      return Error(errors::kMissingParameter,
                   "A fault rule needs Errors, DelayMs, or both.");
    }
    if (errors && !errors->empty()) {
      SWASD_ASSIGN_OR_RETURN(rule.errors, gateway::FaultInjector::ParseErrors(*errors));
    }
    rule.product = args.String("ProductCode").value_or("*");
    rule.action = args.String("ActionName").value_or("*");
    rule.account = args.String("AccountId").value_or("*");
    for (std::string* v : {&rule.product, &rule.action, &rule.account}) {
      if (v->empty()) *v = "*";
    }
    rule.created_ms = ctx.clock->NowUnixMillis();
    if (auto id = args.String("RuleId"); id && !id->empty()) {
      bool known = false;
      for (const auto& r : s->faults->List()) known = known || r.id == *id;
      if (!known) return kInvalidRuleIdNotFound;
      rule.id = *id;
    }
    std::string id = s->faults->Set(rule);
    spdlog::warn("request {}: fault rule {} set by {}: {}", ctx.request_id, id,
                 ctx.principal.access_key_id, Describe(rule));
    return Json{{"RuleId", id}};
  });
  routes.Raw("ListFaultRules", [s](const CallContext& ctx, const Args&) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(Allowed(s, ctx));
    Json rules = Json::array();
    for (const auto& r : s->faults->List()) {
      rules.push_back({{"RuleId", r.id},
                       {"ProductCode", r.product},
                       {"ActionName", r.action},
                       {"AccountId", r.account},
                       {"Errors", ErrorsText(r)},
                       {"DelayMs", r.delay_ms},
                       {"CreationTime", FormatIso8601(r.created_ms / 1000)}});
    }
    return Json{{"FaultRules", std::move(rules)}};
  });
  routes.Raw("DeleteFaultRule", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(Allowed(s, ctx));
    std::string id = *args.String("RuleId");
    if (!s->faults->Delete(id)) return kInvalidRuleIdNotFound;
    spdlog::warn("request {}: fault rule {} deleted by {}", ctx.request_id, id,
                 ctx.principal.access_key_id);
    return Json::object();
  });
  routes.Raw("ResetState", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    if (!s->state_reset) return kStateResetDisabled;
    SWASD_RETURN_IF_ERROR(IsOperator(s, ctx));
    state::ResetRequest req;
    if (auto id = args.String("AccountId"); id && !id->empty()) req.account_id = *id;
    const bool to_fixture = args.Boolean("ToFixture").value_or(false);
    if (to_fixture) {
      if (s->fixture == nullptr) return kNoFixture;
      req.fixture = s->fixture;
    }
    SWASD_ASSIGN_OR_RETURN(nlohmann::ordered_json done,
                           state::Reset(*s->store, req, s->fixture_context));
    spdlog::warn("request {}: state reset by {}: {}{}", ctx.request_id,
                 ctx.principal.access_key_id,
                 req.account_id ? "account " + *req.account_id : std::string("every account"),
                 to_fixture ? ", to the fixture" : ", to empty");
    Json out = Json::object();
    out["Accounts"] = done["Accounts"];
    out["Deleted"] = done["Deleted"];
    out["FixtureApplied"] = to_fixture;
    return out;
  });
  return routes.Register(registry);
}

}  // namespace swasd::admin::api
