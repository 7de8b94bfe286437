// RAM policy evaluation: may this request proceed under these policies?
//
// The rules (alibaba-api.md §5.2, and AWS's, which RAM follows):
//  - A statement matches a request when its action matches (some Action
//    pattern matches, or no NotAction pattern does), its resource matches
//    (some Resource pattern, or no NotResource pattern; see MatchResource in
//    match.h for ARN segments) and every condition holds.
//  - Conditions: several operators AND; several keys under one operator
//    AND; several values for one key OR. With several request values for a
//    key, a positive operator holds when any request value matches any
//    policy value; a negated operator (StringNotEquals, ...) holds when no
//    request value matches any policy value.
//  - An explicit Deny in any matching statement of any policy wins; else an
//    Allow in any matching statement allows; else the request is implicitly
//    denied.
//
// Absent and unusable keys. A condition whose key is absent from the
// request (or present with no values), or whose request or policy values do
// not parse as the operator's type (a SourceIp that is not an address, a
// CurrentTime that is not a date), is *indeterminate*. An indeterminate
// condition never grants: in an Allow statement it does not hold, whatever
// the operator. In a Deny statement it holds for the negated operators and
// not for the positive ones, which is AWS's reading of an absent key ("the
// request's value is not equal to x") and keeps "deny unless"-guards
// fail-safe: {"Effect":"Deny", "Condition":{"NotIpAddress":{"acs:SourceIp":
// "10.0.0.0/8"}}} still denies when the source address is unknown.
// Condition keys are looked up case-insensitively ("acs:sourceip" finds
// "acs:SourceIp"); a key the request does not carry is absent, so an
// unknown key never grants.
//
// Everything here is pure and thread-safe; nothing reads a clock (the
// current time arrives as the "acs:CurrentTime" key).
#ifndef SWASD_RAM_EVALUATE_H_
#define SWASD_RAM_EVALUATE_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ram/policy.h"

namespace swasd::ram {

// Global condition keys the gateway fills in.
inline constexpr std::string_view kKeySourceIp = "acs:SourceIp";
inline constexpr std::string_view kKeyCurrentTime = "acs:CurrentTime";
inline constexpr std::string_view kKeySecureTransport = "acs:SecureTransport";
inline constexpr std::string_view kKeyAccessId = "acs:AccessId";
inline constexpr std::string_view kKeyMfaPresent = "acs:MFAPresent";
// The ExternalId an STS AssumeRole caller gives, offered to the role's
// trust policy only (absent when the caller gives none).
inline constexpr std::string_view kKeyExternalId = "sts:ExternalId";

// What is being asked.
struct RequestContext {
  // "<service>:<Action>", e.g. "swas-open:ModifyImageShareStatus".
  std::string action;
  // The resource ARN ("acs:swas-open:cn-hangzhou:1234567890123456:
  // customimage/m-1"), or "*" for an action without resource-level
  // authorization (matched only by the Resource pattern "*").
  std::string resource;
  // Condition keys and their values: "acs:SourceIp" -> {"127.0.0.1"},
  // "acs:CurrentTime" -> {"2026-11-27T20:00:00Z"}, "acs:SecureTransport" ->
  // {"false"}, "acs:AccessId" -> {"LTAI..."}.
  std::map<std::string, std::vector<std::string>> keys;
};

enum class Decision {
  kAllow,
  kExplicitDeny,  // a matching Deny statement
  kImplicitDeny,  // nothing allowed it
};

// "Allow", "ExplicitDeny" or "ImplicitDeny" (the NoPermissionType of
// Alibaba's AccessDeniedDetail for the two denials).
std::string_view DecisionName(Decision d);

// Evaluates `ctx` against identity policies (a user's or role's attached
// policies, in any order). Null pointers are skipped. Returns kExplicitDeny
// if any matching statement denies, else kAllow if any matching statement
// allows, else kImplicitDeny (also for an empty span). Statements without
// Resource/NotResource (a trust policy passed here by mistake) never match.
Decision Evaluate(std::span<const Policy* const> policies,
                  const RequestContext& ctx);

// For an STS session with a session policy (AssumeRole's `Policy`): the
// effective permissions are the intersection. Returns kExplicitDeny if
// either the identity policies or `session_policy` deny explicitly, kAllow
// if both allow, else kImplicitDeny. A session without a session policy is
// evaluated with Evaluate alone.
Decision EvaluateSession(std::span<const Policy* const> identity_policies,
                         const Policy& session_policy,
                         const RequestContext& ctx);

// Evaluates a role's trust policy for sts:AssumeRole by the caller. Only
// statements whose Action/NotAction admits "sts:AssumeRole" (ctx.action is
// not consulted) and whose conditions hold against ctx.keys are considered,
// and of those the ones whose Principal names the caller:
//  - "Principal": "*" names everyone;
//  - RAM "acs:ram::<A>:root", or the bare account id "<A>", names every
//    identity of account A (caller_account == A): root, RAM users, roles
//    and role sessions;
//  - RAM "*" names every RAM identity of any account;
//  - any other RAM ARN names exactly that identity (ASCII case-insensitive
//    comparison of caller_principal_arn), and a role ARN
//    "acs:ram::<A>:role/<r>" also names that role's sessions
//    ("acs:ram::<A>:assumed-role/<r>/<session>");
//  - Service "<svc>.aliyuncs.com" names a caller whose principal is that
//    service name; Federated "<provider ARN>" a caller whose principal is
//    that provider ARN (both ASCII case-insensitive).
// Returns kExplicitDeny if such a Deny statement exists, else kAllow if
// such an Allow statement exists, else kImplicitDeny. The trust policy is
// only half of AssumeRole: the caller (unless an account root) must also be
// allowed sts:AssumeRole on the role's ARN by its own identity policies.
Decision EvaluateTrust(const Policy& trust,
                       std::string_view caller_principal_arn,
                       std::string_view caller_account,
                       const RequestContext& ctx);

}  // namespace swasd::ram

#endif  // SWASD_RAM_EVALUATE_H_
