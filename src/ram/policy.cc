#include "ram/policy.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/encoding.h"
#include "base/strings.h"
#include "ram/errors.h"
#include "ram/json_reader.h"
#include "ram/json_writer.h"
#include "ram/match.h"

namespace swasd::ram {
namespace {

using json = nlohmann::json;

struct OperatorInfo {
  ConditionOperator op;
  std::string_view name;
};

constexpr std::array<OperatorInfo, 21> kOperators = {{
    {ConditionOperator::kStringEquals, "StringEquals"},
    {ConditionOperator::kStringNotEquals, "StringNotEquals"},
    {ConditionOperator::kStringEqualsIgnoreCase, "StringEqualsIgnoreCase"},
    {ConditionOperator::kStringNotEqualsIgnoreCase,
     "StringNotEqualsIgnoreCase"},
    {ConditionOperator::kStringLike, "StringLike"},
    {ConditionOperator::kStringNotLike, "StringNotLike"},
    {ConditionOperator::kNumericEquals, "NumericEquals"},
    {ConditionOperator::kNumericNotEquals, "NumericNotEquals"},
    {ConditionOperator::kNumericLessThan, "NumericLessThan"},
    {ConditionOperator::kNumericLessThanEquals, "NumericLessThanEquals"},
    {ConditionOperator::kNumericGreaterThan, "NumericGreaterThan"},
    {ConditionOperator::kNumericGreaterThanEquals, "NumericGreaterThanEquals"},
    {ConditionOperator::kDateEquals, "DateEquals"},
    {ConditionOperator::kDateNotEquals, "DateNotEquals"},
    {ConditionOperator::kDateLessThan, "DateLessThan"},
    {ConditionOperator::kDateLessThanEquals, "DateLessThanEquals"},
    {ConditionOperator::kDateGreaterThan, "DateGreaterThan"},
    {ConditionOperator::kDateGreaterThanEquals, "DateGreaterThanEquals"},
    {ConditionOperator::kBool, "Bool"},
    {ConditionOperator::kIpAddress, "IpAddress"},
    {ConditionOperator::kNotIpAddress, "NotIpAddress"},
}};

Error Malformed(std::string why) {
  return Error(errors::kMalformedPolicyDocument,
               "The policy document is malformed: " + std::move(why) + ".");
}

Error Invalid(std::string why) {
  return Error(errors::kPolicyDocumentInvalidValue,
               "The policy document is invalid: " + std::move(why) + ".");
}

std::string TypeName(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "an object";
  if (v.is_boolean()) return "a boolean";
  if (IsJsonNumber(v)) return "a number";
  return "null";
}

// Refuses keys of `obj` outside `allowed`, hinting at a case mistake.
Status CheckFields(const json& obj, std::span<const std::string_view> allowed,
                   const std::string& path, std::string_view context) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& k = it.key();
    bool known = false;
    for (std::string_view a : allowed) known = known || k == a;
    if (known) continue;
    std::string msg = (path.empty() ? std::string() : path + ": ") +
                      "unknown field " + QuoteForMessage(k);
    for (std::string_view a : allowed) {
      if (EqualsIgnoreCase(k, a)) {
        msg += " (field names are case-sensitive: \"" + std::string(a) + "\")";
      }
    }
    if (!context.empty()) msg += std::string(" ") + std::string(context);
    return Invalid(std::move(msg));
  }
  return Status::Ok();
}

// A string or a non-empty list of strings.
Result<std::vector<std::string>> StringList(const json& v,
                                            const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) {
    return Invalid(path + " must be a string or a list of strings, not " +
                   TypeName(v));
  }
  if (v.empty()) return Invalid(path + " must not be an empty list");
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      return Invalid(path + "[" + std::to_string(i) +
                     "] must be a string, not " + TypeName(v[i]));
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

// The path of item i of a list that may have been written as one string.
std::string ItemPath(const std::string& path, const json& v, size_t i) {
  return v.is_array() ? path + "[" + std::to_string(i) + "]" : path;
}

// A condition value: string, number or boolean, converted to text.
Result<std::string> ConditionValue(const json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (IsJsonNumber(v)) return JsonNumberText(v);
  return Invalid(path + " must be a string, number or boolean, not " +
                 TypeName(v));
}

enum class ValueType { kString, kNumber, kDate, kBool, kIp };

ValueType TypeOf(ConditionOperator op) {
  switch (op) {
    case ConditionOperator::kNumericEquals:
    case ConditionOperator::kNumericNotEquals:
    case ConditionOperator::kNumericLessThan:
    case ConditionOperator::kNumericLessThanEquals:
    case ConditionOperator::kNumericGreaterThan:
    case ConditionOperator::kNumericGreaterThanEquals:
      return ValueType::kNumber;
    case ConditionOperator::kDateEquals:
    case ConditionOperator::kDateNotEquals:
    case ConditionOperator::kDateLessThan:
    case ConditionOperator::kDateLessThanEquals:
    case ConditionOperator::kDateGreaterThan:
    case ConditionOperator::kDateGreaterThanEquals:
      return ValueType::kDate;
    case ConditionOperator::kBool:
      return ValueType::kBool;
    case ConditionOperator::kIpAddress:
    case ConditionOperator::kNotIpAddress:
      return ValueType::kIp;
    default:
      return ValueType::kString;
  }
}

// A condition key: "<prefix>:<name>", at most 256 bytes, no spaces or
// control characters.
bool IsValidConditionKey(std::string_view key) {
  if (key.empty() || key.size() > 256) return false;
  size_t colon = key.find(':');
  if (colon == 0 || colon == std::string_view::npos ||
      colon + 1 == key.size()) {
    return false;
  }
  for (char c : key) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

Status CheckTypedValue(ValueType type, const std::string& value,
                       const std::string& path) {
  switch (type) {
    case ValueType::kString:
      return Status::Ok();
    case ValueType::kNumber:
      if (ParseNumber(value)) return Status::Ok();
      return Invalid(path + ": " + QuoteForMessage(value) + " is not a number");
    case ValueType::kDate:
      if (ParseDateMillis(value)) return Status::Ok();
      return Invalid(path + ": " + QuoteForMessage(value) +
                     " is not a date (ISO-8601, e.g. 2026-01-01T00:00:00Z, "
                     "or epoch seconds)");
    case ValueType::kBool:
      if (ParseBool(value)) return Status::Ok();
      return Invalid(path + ": " + QuoteForMessage(value) + " is not true or false");
    case ValueType::kIp:
      if (ParseIpBlock(value)) return Status::Ok();
      return Invalid(path + ": " + QuoteForMessage(value) +
                     " is not an IP address or CIDR block");
  }
  return Status::Ok();
}

Result<std::vector<Condition>> ParseConditions(const json& v,
                                               const std::string& path) {
  if (!v.is_object()) {
    return Invalid(path + " must be an object, not " + TypeName(v));
  }
  std::vector<Condition> out;
  for (auto op_it = v.begin(); op_it != v.end(); ++op_it) {
    const std::string& op_name = op_it.key();
    std::optional<ConditionOperator> op = FindConditionOperator(op_name);
    if (!op) {
      std::string msg = path + ": unknown operator " + QuoteForMessage(op_name);
      for (const OperatorInfo& info : kOperators) {
        if (EqualsIgnoreCase(op_name, info.name)) {
          msg += " (operator names are case-sensitive: \"" +
                 std::string(info.name) + "\")";
        }
      }
      if (op_name.find(':') != std::string::npos ||
          op_name.ends_with("IfExists")) {
        msg += " (set operators and IfExists are not supported)";
      }
      return Invalid(std::move(msg));
    }
    const std::string op_path = path + "." + op_name;
    const json& block = op_it.value();
    if (!block.is_object()) {
      return Invalid(op_path + " must be an object of condition keys, not " +
                     TypeName(block));
    }
    if (block.empty()) return Invalid(op_path + " must name a condition key");
    for (auto key_it = block.begin(); key_it != block.end(); ++key_it) {
      const std::string& key = key_it.key();
      if (!IsValidConditionKey(key)) {
        return Invalid(op_path + ": condition key " + QuoteForMessage(key) +
                       " must look like <service>:<name> (e.g. acs:SourceIp)");
      }
      const std::string key_path = op_path + "." + key;
      const json& vals = key_it.value();
      Condition c;
      c.op = *op;
      c.key = key;
      if (vals.is_array()) {
        if (vals.empty())
          return Invalid(key_path + " must not be an empty list");
        for (size_t i = 0; i < vals.size(); ++i) {
          SWASD_ASSIGN_OR_RETURN(
              std::string s,
              ConditionValue(vals[i],
                             key_path + "[" + std::to_string(i) + "]"));
          c.values.push_back(std::move(s));
        }
      } else {
        SWASD_ASSIGN_OR_RETURN(std::string s, ConditionValue(vals, key_path));
        c.values.push_back(std::move(s));
      }
      ValueType type = TypeOf(*op);
      for (size_t i = 0; i < c.values.size(); ++i) {
        SWASD_RETURN_IF_ERROR(
            CheckTypedValue(type, c.values[i], ItemPath(key_path, vals, i)));
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

bool IsAccountId(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "acs:ram::<account>:<something>", the form of RAM and Federated entries.
bool IsRamArn(std::string_view s) {
  constexpr std::string_view kPrefix = "acs:ram::";
  if (s.size() <= kPrefix.size() ||
      !EqualsIgnoreCase(s.substr(0, kPrefix.size()), kPrefix)) {
    return false;
  }
  s.remove_prefix(kPrefix.size());
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon + 1 == s.size()) return false;
  if (!IsAccountId(s.substr(0, colon))) return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

bool IsServiceName(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<Principal> ParsePrincipal(const json& v, const std::string& path) {
  Principal p;
  if (v.is_string()) {
    if (v.get<std::string>() != "*") {
      return Invalid(path +
                     " must be \"*\" or an object with RAM, Service "
                     "or Federated");
    }
    p.any = true;
    return p;
  }
  if (!v.is_object()) {
    return Invalid(path + " must be \"*\" or an object, not " + TypeName(v));
  }
  static constexpr std::string_view kFields[] = {"RAM", "Service", "Federated"};
  SWASD_RETURN_IF_ERROR(CheckFields(v, kFields, path, ""));
  if (v.empty()) {
    return Invalid(path +
                   " must name at least one RAM, Service or "
                   "Federated principal");
  }
  if (v.contains("RAM")) {
    const std::string ram_path = path + ".RAM";
    SWASD_ASSIGN_OR_RETURN(p.ram, StringList(v["RAM"], ram_path));
    for (size_t i = 0; i < p.ram.size(); ++i) {
      const std::string& e = p.ram[i];
      if (e != "*" && !IsAccountId(e) && !IsRamArn(e)) {
        return Invalid(ItemPath(ram_path, v["RAM"], i) + ": " + QuoteForMessage(e) +
                       " is not an account id or acs:ram::<account>:... ARN");
      }
    }
  }
  if (v.contains("Service")) {
    const std::string svc_path = path + ".Service";
    SWASD_ASSIGN_OR_RETURN(p.service, StringList(v["Service"], svc_path));
    for (size_t i = 0; i < p.service.size(); ++i) {
      if (!IsServiceName(p.service[i])) {
        return Invalid(ItemPath(svc_path, v["Service"], i) + ": " +
                       QuoteForMessage(p.service[i]) +
                       " is not a service name (e.g. ecs.aliyuncs.com)");
      }
    }
  }
  if (v.contains("Federated")) {
    const std::string fed_path = path + ".Federated";
    SWASD_ASSIGN_OR_RETURN(p.federated, StringList(v["Federated"], fed_path));
    for (size_t i = 0; i < p.federated.size(); ++i) {
      if (!IsRamArn(p.federated[i])) {
        return Invalid(ItemPath(fed_path, v["Federated"], i) + ": " +
                       QuoteForMessage(p.federated[i]) +
                       " is not an acs:ram::<account>:... provider ARN");
      }
    }
  }
  return p;
}

Result<Statement> ParseStatement(const json& v, const std::string& path,
                                 PolicyKind kind) {
  if (!v.is_object()) {
    return Invalid(path + " must be an object, not " + TypeName(v));
  }
  static constexpr std::string_view kFields[] = {
      "Effect",      "Action",    "NotAction", "Resource",
      "NotResource", "Condition", "Principal"};
  SWASD_RETURN_IF_ERROR(CheckFields(v, kFields, path, ""));

  Statement st;
  // Effect.
  if (!v.contains("Effect")) return Invalid(path + ".Effect is required");
  const json& effect = v["Effect"];
  if (effect.is_string() && effect.get<std::string>() == "Allow") {
    st.effect = Effect::kAllow;
  } else if (effect.is_string() && effect.get<std::string>() == "Deny") {
    st.effect = Effect::kDeny;
  } else {
    return Invalid(path + ".Effect must be \"Allow\" or \"Deny\"");
  }

  // Action / NotAction.
  bool has_action = v.contains("Action"), has_not = v.contains("NotAction");
  if (has_action && has_not) {
    return Invalid(path + " must not have both Action and NotAction");
  }
  if (!has_action && !has_not) {
    return Invalid(path + " must have Action or NotAction");
  }
  {
    st.not_action = has_not;
    const char* field = has_not ? "NotAction" : "Action";
    const std::string apath = path + "." + field;
    const json& av = v[field];
    SWASD_ASSIGN_OR_RETURN(st.actions, StringList(av, apath));
    for (size_t i = 0; i < st.actions.size(); ++i) {
      if (!IsValidActionPattern(st.actions[i])) {
        return Invalid(ItemPath(apath, av, i) + ": " + QuoteForMessage(st.actions[i]) +
                       " is not a valid action (expected \"*\" or "
                       "<service>:<action>, e.g. ecs:Describe*)");
      }
    }
  }

  // Resource / NotResource.
  bool has_res = v.contains("Resource"),
       has_not_res = v.contains("NotResource");
  if (kind == PolicyKind::kTrust) {
    if (has_res || has_not_res) {
      return Invalid(path + "." + (has_res ? "Resource" : "NotResource") +
                     " is not allowed in a trust policy");
    }
  } else {
    if (has_res && has_not_res) {
      return Invalid(path + " must not have both Resource and NotResource");
    }
    if (!has_res && !has_not_res) {
      return Invalid(path + " must have Resource or NotResource");
    }
    st.not_resource = has_not_res;
    const char* field = has_not_res ? "NotResource" : "Resource";
    const std::string rpath = path + "." + field;
    const json& rv = v[field];
    SWASD_ASSIGN_OR_RETURN(st.resources, StringList(rv, rpath));
    for (size_t i = 0; i < st.resources.size(); ++i) {
      if (!IsValidResourcePattern(st.resources[i])) {
        return Invalid(ItemPath(rpath, rv, i) + ": " + QuoteForMessage(st.resources[i]) +
                       " is not a valid resource (expected \"*\" or "
                       "acs:<service>:<region>:<account>:<resource>)");
      }
    }
  }

  // Principal.
  if (kind == PolicyKind::kTrust) {
    if (!v.contains("Principal")) {
      return Invalid(path + ".Principal is required in a trust policy");
    }
    SWASD_ASSIGN_OR_RETURN(Principal p,
                           ParsePrincipal(v["Principal"], path + ".Principal"));
    st.principal = std::move(p);
  } else if (v.contains("Principal")) {
    return Invalid(path + ".Principal is not allowed in a permission policy");
  }

  // Condition.
  if (v.contains("Condition")) {
    SWASD_ASSIGN_OR_RETURN(
        st.conditions, ParseConditions(v["Condition"], path + ".Condition"));
  }
  return st;
}

Result<Policy> ParseDocument(const json& doc, PolicyKind kind) {
  if (!doc.is_object()) {
    return Malformed("the document must be a JSON object, not " +
                     TypeName(doc));
  }
  static constexpr std::string_view kFields[] = {"Version", "Statement"};
  SWASD_RETURN_IF_ERROR(CheckFields(doc, kFields, "", ""));
  if (!doc.contains("Version")) return Invalid("Version is required");
  const json& version = doc["Version"];
  if (!version.is_string() || version.get<std::string>() != "1") {
    return Invalid("Version must be \"1\"");
  }
  if (!doc.contains("Statement")) return Invalid("Statement is required");
  const json& stmts = doc["Statement"];

  Policy policy;
  policy.kind = kind;
  if (stmts.is_object()) {
    SWASD_ASSIGN_OR_RETURN(Statement st,
                           ParseStatement(stmts, "Statement", kind));
    policy.statements.push_back(std::move(st));
    return policy;
  }
  if (!stmts.is_array()) {
    return Invalid("Statement must be a list of statements, not " +
                   TypeName(stmts));
  }
  if (stmts.empty()) return Invalid("Statement must not be empty");
  if (stmts.size() > kMaxStatements) {
    return Invalid("Statement has more than " + std::to_string(kMaxStatements) +
                   " statements");
  }
  for (size_t i = 0; i < stmts.size(); ++i) {
    SWASD_ASSIGN_OR_RETURN(
        Statement st,
        ParseStatement(stmts[i], "Statement[" + std::to_string(i) + "]", kind));
    policy.statements.push_back(std::move(st));
  }
  return policy;
}

}  // namespace

std::string_view ConditionOperatorName(ConditionOperator op) {
  for (const OperatorInfo& info : kOperators) {
    if (info.op == op) return info.name;
  }
  return "";
}

std::optional<ConditionOperator> FindConditionOperator(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) return info.op;
  }
  return std::nullopt;
}

bool IsNegatedOperator(ConditionOperator op) {
  switch (op) {
    case ConditionOperator::kStringNotEquals:
    case ConditionOperator::kStringNotEqualsIgnoreCase:
    case ConditionOperator::kStringNotLike:
    case ConditionOperator::kNumericNotEquals:
    case ConditionOperator::kDateNotEquals:
    case ConditionOperator::kNotIpAddress:
      return true;
    default:
      return false;
  }
}

Result<Policy> ParsePolicy(std::string_view text, PolicyKind kind) {
  // Each character is at most 4 bytes: a cheap first bound before counting.
  if (text.empty() || text.size() > 4 * kMaxPolicyDocumentChars ||
      CountUtf8Chars(text) > kMaxPolicyDocumentChars) {
    return Error(errors::kPolicyDocumentLength,
                 "The policy document must be 1 to " +
                     std::to_string(kMaxPolicyDocumentChars) +
                     " characters in length.");
  }
  json doc;
  if (auto bad = ReadJson(text, {kMaxPolicyDepth, kMaxListValues}, &doc)) {
    return bad->malformed ? Malformed(std::move(bad->why))
                          : Invalid(std::move(bad->why));
  }
  return ParseDocument(doc, kind);
}

std::string SerializePolicy(const Policy& policy) {
  JsonWriter w;
  w.out += "{\"Version\":\"1\",\"Statement\":";
  if (policy.statements.size() != 1) w.out += "[";
  for (size_t i = 0; i < policy.statements.size(); ++i) {
    const Statement& st = policy.statements[i];
    if (i) w.out += ",";
    w.out += "{\"Effect\":";
    w.out += st.effect == Effect::kAllow ? "\"Allow\"" : "\"Deny\"";
    w.Field(st.not_action ? "NotAction" : "Action");
    w.List(st.actions, false);
    if (policy.kind == PolicyKind::kIdentity || !st.resources.empty()) {
      w.Field(st.not_resource ? "NotResource" : "Resource");
      w.List(st.resources, false);
    }
    if (st.principal) {
      w.Field("Principal");
      if (st.principal->any) {
        w.out += "\"*\"";
      } else {
        w.out += "{";
        bool first = true;
        auto kind = [&](std::string_view name,
                        const std::vector<std::string>& v) {
          if (v.empty()) return;
          if (!first) w.out += ",";
          first = false;
          w.String(name);
          w.out += ":";
          w.List(v, false);
        };
        kind("RAM", st.principal->ram);
        kind("Service", st.principal->service);
        kind("Federated", st.principal->federated);
        w.out += "}";
      }
    }
    if (!st.conditions.empty()) {
      w.Field("Condition");
      w.out += "{";
      // Group (operator, key) pairs by operator, in first-seen order.
      std::vector<bool> done(st.conditions.size(), false);
      bool first_op = true;
      for (size_t a = 0; a < st.conditions.size(); ++a) {
        if (done[a]) continue;
        if (!first_op) w.out += ",";
        first_op = false;
        w.String(ConditionOperatorName(st.conditions[a].op));
        w.out += ":{";
        bool first_key = true;
        for (size_t b = a; b < st.conditions.size(); ++b) {
          if (done[b] || st.conditions[b].op != st.conditions[a].op) continue;
          done[b] = true;
          if (!first_key) w.out += ",";
          first_key = false;
          w.String(st.conditions[b].key);
          w.out += ":";
          w.List(st.conditions[b].values, true);
        }
        w.out += "}";
      }
      w.out += "}";
    }
    w.out += "}";
  }
  if (policy.statements.size() != 1) w.out += "]";
  w.out += "}";
  return std::move(w.out);
}

}  // namespace swasd::ram
