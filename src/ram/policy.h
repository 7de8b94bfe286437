// RAM policy documents: the parsed model and the parser/validator. (ram/ is
// the policy language, pure; the RAM service that stores and applies
// policies is iam/.)
//
// A policy document is JSON text (Alibaba's grammar, alibaba-api.md §5.1):
//
//   {"Version": "1",
//    "Statement": [{"Effect": "Allow" | "Deny",
//                   "Action" | "NotAction": "<svc>:<Api>" | [...],
//                   "Resource" | "NotResource": "<ARN>" | [...],
//                   "Condition": {"<Operator>": {"<key>": v | [v, ...]}},
//                   "Principal": "*" | {"RAM"|"Service"|"Federated": ...}}]}
//
// Identity policies (attached to users/roles, and STS session policies)
// require Resource/NotResource and forbid Principal. Trust policies (a
// role's AssumeRolePolicyDocument) require Principal and forbid
// Resource/NotResource.
//
// The parser is strict on purpose: anything it accepts means exactly one
// thing. It refuses unknown fields (a typo such as "Condtion" would
// otherwise silently widen a grant), duplicate keys, unknown condition
// operators, and condition values that do not parse for their operator. It
// takes arbitrary bytes and is bounded: at most kMaxPolicyDocumentChars
// characters, kMaxPolicyDepth nesting levels, kMaxStatements statements and
// kMaxListValues items in any one list.
//
// Everything here is pure and thread-safe.
#ifndef SWASD_RAM_POLICY_H_
#define SWASD_RAM_POLICY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace swasd::ram {

// RAM's documented limit: 1 to 6144 characters (Unicode code points,
// whitespace included).
inline constexpr size_t kMaxPolicyDocumentChars = 6144;
// JSON nesting: the grammar needs 5 (document, Statement list, statement,
// Condition, operator block) plus a value list; 8 leaves room and no more.
inline constexpr int kMaxPolicyDepth = 8;
inline constexpr size_t kMaxStatements = 256;
// Items in one Action/Resource/Principal/condition-value list, and keys in
// one object.
inline constexpr size_t kMaxListValues = 1024;

enum class PolicyKind {
  kIdentity,  // attached to a user, group or role; an STS session policy
  kTrust,     // a role's AssumeRolePolicyDocument
};

enum class Effect { kAllow, kDeny };

// The condition operators RAM documents. Each family compares the request's
// values as its type: String* as text ("Like": '*'/'?' wildcards), Numeric*
// as decimal numbers, Date* as instants (ISO-8601 or epoch seconds), Bool
// as true/false, IpAddress/NotIpAddress as addresses in CIDR blocks.
enum class ConditionOperator {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kIpAddress,
  kNotIpAddress,
};

// The wire name ("StringEquals"). "" for a value outside the enum.
std::string_view ConditionOperatorName(ConditionOperator op);
// The operator named exactly (case-sensitively) `name`, or nullopt.
std::optional<ConditionOperator> FindConditionOperator(std::string_view name);
// True for StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike,
// NumericNotEquals, DateNotEquals and NotIpAddress: the operators that hold
// when no value matches.
bool IsNegatedOperator(ConditionOperator op);

// One (operator, key) pair of a Condition block. Values are kept as text:
// JSON numbers keep their literal spelling ("10", "1.50", "1E9"; an
// integer is re-spelled, which only turns "-0" into "0") and booleans
// become "true"/"false". The request satisfies the condition when one of its
// values for `key` compares true with one of `values` (OR); see evaluate.h for
// absent keys.
struct Condition {
  ConditionOperator op = ConditionOperator::kStringEquals;
  std::string key;  // as written, e.g. "acs:SourceIp"
  std::vector<std::string> values;

  bool operator==(const Condition&) const = default;
};

// A trust policy's Principal.
struct Principal {
  bool any = false;  // "Principal": "*"
  // "acs:ram::<account>:root" (every identity of the account), the bare
  // "<account>" (same), or a user/role ARN; "*" means any RAM identity.
  std::vector<std::string> ram;
  std::vector<std::string> service;    // "ecs.aliyuncs.com"
  std::vector<std::string> federated;  // "acs:ram::<account>:saml-provider/x"

  bool operator==(const Principal&) const = default;
};

struct Statement {
  Effect effect = Effect::kDeny;
  bool not_action = false;             // `actions` came from NotAction
  std::vector<std::string> actions;    // never empty after parsing
  bool not_resource = false;           // `resources` came from NotResource
  std::vector<std::string> resources;  // empty in trust policies only
  // In document order; all must hold (AND).
  std::vector<Condition> conditions;
  std::optional<Principal> principal;  // trust policies only

  bool operator==(const Statement&) const = default;
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  std::vector<Statement> statements;  // never empty after parsing

  bool operator==(const Policy&) const = default;
};

// Parses and validates `text` as a policy of `kind`. Returns the policy, or
// a 400 error (ram/errors.h) whose message names the bad part:
//  - InvalidParameter.PolicyDocument.Length: empty, or more than
//    kMaxPolicyDocumentChars characters;
//  - MalformedPolicyDocument: not JSON (the message says where), invalid
//    UTF-8, nesting deeper than kMaxPolicyDepth, or not a JSON object;
//  - InvalidParameter.PolicyDocument.InvalidValue: everything else, e.g.
//    "Statement[1].Effect must be \"Allow\" or \"Deny\"",
//    "Statement[0].Condition: unknown operator \"StringEqualz\"",
//    "Statement[0]: duplicate key \"Effect\"".
// A single statement object in place of the list is accepted (paths then
// read "Statement.Effect").
Result<Policy> ParsePolicy(std::string_view text, PolicyKind kind);

// The canonical JSON text of `policy`: no whitespace; Version, then
// Statement (one statement as an object, several as a list); each
// statement's fields in the order Effect, Action/NotAction,
// Resource/NotResource, Principal (RAM, Service, Federated), Condition
// (operators grouped in first-seen order); a one-item list as its item;
// condition values that spell a JSON number or boolean ("10", "1.50",
// "true") unquoted. Guarantees, for p = *ParsePolicy(text, kind):
//  - ParsePolicy(SerializePolicy(p), kind) == p and re-serializes
//    identically (a fixpoint);
//  - SerializePolicy(p) is never longer than `text` in characters, so it
//    always passes the length limit again.
std::string SerializePolicy(const Policy& policy);

}  // namespace swasd::ram

#endif  // SWASD_RAM_POLICY_H_
