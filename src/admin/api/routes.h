// swasd's own admin product (Version 2026-12-01, RAM code "swasd"): the
// fault injection rules of gateway/faults.h, managed at runtime
// (SetFaultRule, ListFaultRules, DeleteFaultRule), and ResetState (back to
// empty or to the fixture, for test suites that cannot run swasctl).
// Signed like every other call, but only the operator's root account (the
// store's first account, with its root key: no RAM user, no STS session)
// may call it, and only when swasd runs with --enable-fault-injection
// (fault rules) or --enable-state-reset (ResetState); every change is
// logged.
#ifndef SWASD_ADMIN_API_ROUTES_H_
#define SWASD_ADMIN_API_ROUTES_H_

#include <string>

#include "gateway/faults.h"
#include "gateway/registry.h"
#include "gateway/routes.h"
#include "state/fixture.h"
#include "store/store.h"

namespace swasd::admin::api {

inline constexpr gateway::ProductSpec kProduct{"swasd", "Swasd", "2026-12-01"};

// The answer to every admin call while fault injection is off.
inline constexpr ErrorSpec kFaultInjectionDisabled{
    "Forbidden.FaultInjectionDisabled", 403,
    "Fault injection is off: start swasd with --enable-fault-injection."};
// Anyone but the operator's root account.
inline constexpr ErrorSpec kForbiddenNotOperator{
    "Forbidden", 403, "Only the root account of the swasd operator may call swasd's admin API."};
inline constexpr ErrorSpec kInvalidRuleIdNotFound{
    "InvalidRuleId.NotFound", 404, "The specified fault rule does not exist."};

// The answer to ResetState while state reset is off.
inline constexpr ErrorSpec kStateResetDisabled{
    "Forbidden.StateResetDisabled", 403,
    "State reset is off: start swasd with --enable-state-reset."};
// ResetState with ToFixture on a swasd started without --fixture.
inline constexpr ErrorSpec kNoFixture{
    "InvalidParameter.NoFixture", 400,
    "swasd was started without --fixture: there is no fixture to reset to."};

struct Services : gateway::Backends {
  gateway::FaultInjector* faults = nullptr;  // null: fault injection off
  // ResetState: the store, on (--enable-state-reset) or not, and the
  // fixture swasd was started with (null: none).
  store::Store* store = nullptr;
  bool state_reset = false;
  const state::Fixture* fixture = nullptr;
  state::FixtureContext fixture_context;
  std::string operator_account;  // set once the root account exists
  const Clock* clock = nullptr;
};

Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::admin::api

#endif  // SWASD_ADMIN_API_ROUTES_H_
