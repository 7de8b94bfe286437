#include "ecs/security_groups.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/ids.h"
#include "base/strings.h"
#include "ecs/errors.h"
#include "ecs/model.h"
#include "store/document.h"
#include "vpc/cidr.h"
#include "vpc/errors.h"

namespace swasd::ecs {
namespace {

using nlohmann::json;

bool IsLink(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 6) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// An IPv4 address ("1.2.3.4", taken as /32) or a canonical block.
bool ValidSource(std::string_view s) {
  if (s.find('/') == std::string_view::npos) {
    return vpc::Cidr::Parse(std::string(s) + "/32").has_value();
  }
  return vpc::Cidr::Parse(s).has_value();
}

// Rule descriptions: 1-512 characters, not a link.
bool ValidRuleDescription(std::string_view d) {
  if (!IsValidUtf8(d)) return false;
  size_t n = CountUtf8Chars(d);
  return n >= 1 && n <= 512 && !IsLink(d);
}

// Group descriptions: 2-256 characters, not a link.
bool ValidGroupDescription(std::string_view d) {
  if (!IsValidUtf8(d)) return false;
  size_t n = CountUtf8Chars(d);
  return n >= 2 && n <= 256 && !IsLink(d);
}

json RuleJson(const SecurityGroupRule& r) {
  return {{"id", r.id},           {"direction", r.direction},
          {"protocol", r.ip_protocol}, {"ports", r.port_range},
          {"source", r.source_cidr_ip}, {"policy", r.policy},
          {"priority", r.priority},  {"nic", r.nic_type},
          {"description", r.description}, {"created", r.created_ms}};
}

SecurityGroupRule RuleFrom(const json& j) {
  SecurityGroupRule r;
  r.id = j.at("id");
  r.direction = j.at("direction");
  r.ip_protocol = j.at("protocol");
  r.port_range = j.at("ports");
  r.source_cidr_ip = j.at("source");
  r.policy = j.at("policy");
  r.priority = j.at("priority");
  r.nic_type = j.at("nic");
  r.description = j.at("description");
  r.created_ms = j.at("created");
  return r;
}

store::Resource ToResource(const SecurityGroup& g) {
  json rules = json::array();
  for (const auto& r : g.rules) rules.push_back(RuleJson(r));
  json tags = json::array();
  for (const auto& [k, v] : g.tags) tags.push_back({k, v});
  store::Resource r{kSecurityGroupKind, g.id, g.account_id, g.region_id, g.name,
                    g.vpc_id, 0, g.created_ms, ""};
  r.doc = json{{"description", g.description}, {"type", g.type}, {"tags", tags},
               {"rules", rules}}
              .dump();
  return r;
}

Result<SecurityGroup> GroupFrom(const store::Resource& r) {
  return store::DecodeDocument<SecurityGroup>(r, [&](const json& j, SecurityGroup& g) {
    g.vpc_id = r.parent_id;
    g.description = j.at("description");
    g.type = j.at("type");
    for (const auto& t : j.at("tags")) {
      g.tags.emplace_back(t.at(0).get<std::string>(), t.at(1).get<std::string>());
    }
    for (const auto& x : j.at("rules")) g.rules.push_back(RuleFrom(x));
  });
}

}  // namespace

bool SecurityGroupRule::SameAs(const SecurityGroupRule& o) const {
  return direction == o.direction && ip_protocol == o.ip_protocol &&
         port_range == o.port_range && source_cidr_ip == o.source_cidr_ip &&
         policy == o.policy && priority == o.priority && nic_type == o.nic_type;
}

namespace {

// "Characters categorized as letters in Unicode": ASCII letters, and any
// other non-ASCII code point but the blocks of spaces, punctuation and
// symbols a name could plausibly hold (Latin-1's, General Punctuation, CJK
// Symbols and Punctuation, the full-width ASCII punctuation, BOM).
bool IsNameLetter(uint32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c <= 0xBF || c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x206F) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0xFE30 && c <= 0xFE4F) return false;
  if ((c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)) return false;
  return c != 0xFEFF;
}

}  // namespace

bool ValidSecurityGroupName(std::string_view name) {
  if (IsLink(name)) return false;
  size_t count = 0;
  for (size_t i = 0; i < name.size(); ++count) {
    auto ch = DecodeUtf8(name, i);
    if (!ch) return false;
    const uint32_t c = ch->code_point;
    const bool other = (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '.' || c == '-';
    if (!IsNameLetter(c) && (count == 0 || !other)) return false;
    i += ch->length;
  }
  return count >= 2 && count <= 128;
}

Result<SecurityGroupRule> NormalizeRule(const RuleInput& in) {
  SecurityGroupRule r;
  if (!in.ip_protocol) return errors::kInvalidIpProtocolValueNotSupported;
  for (const char* p : {"TCP", "UDP", "ICMP", "GRE", "ALL"}) {
    if (EqualsIgnoreCase(*in.ip_protocol, p)) r.ip_protocol = p;
  }
  if (r.ip_protocol.empty()) return errors::kInvalidIpProtocolValueNotSupported;
  if (!in.port_range || in.port_range->empty()) return errors::kInvalidPortRangeMissing;
  const std::string& ports = *in.port_range;
  size_t slash = ports.find('/');
  if (slash == std::string::npos) return errors::kInvalidParamPortRange;
  auto from = ParseInt(std::string_view(ports).substr(0, slash));
  auto to = ParseInt(std::string_view(ports).substr(slash + 1));
  if (!from || !to) return errors::kInvalidParamPortRange;
  const bool ported = r.ip_protocol == "TCP" || r.ip_protocol == "UDP";
  if (*from == -1 && *to == -1) {
    if (ported) return errors::kProtocolPortRangeMismatch;
  } else {
    if (*from < 1 || *to > 65535 || *from > *to) return errors::kInvalidParamPortRange;
    if (!ported) return errors::kProtocolPortRangeMismatch;
  }
  r.port_range = std::to_string(*from) + "/" + std::to_string(*to);
  if (!in.source_cidr_ip || in.source_cidr_ip->empty()) return errors::kMissingSource;
  if (!ValidSource(*in.source_cidr_ip)) return errors::kInvalidSourceCidrIpMalformed;
  r.source_cidr_ip = *in.source_cidr_ip;
  if (in.policy) {
    if (EqualsIgnoreCase(*in.policy, "accept")) {
      r.policy = "Accept";
    } else if (EqualsIgnoreCase(*in.policy, "drop")) {
      r.policy = "Drop";
    } else {
      return errors::kInvalidPolicyMalformed;
    }
  }
  if (in.priority) {
    auto p = ParseInt(*in.priority);
    if (!p || *p < 1 || *p > 100) return errors::kInvalidPriorityMalformed;
    r.priority = *p;
  }
  if (in.nic_type && *in.nic_type != "intranet" && *in.nic_type != "internet") {
    return errors::kInvalidNicTypeValueNotSupported;
  }
  if (in.description && !in.description->empty()) {
    if (!ValidRuleDescription(*in.description)) return errors::kInvalidRuleDescriptionMalformed;
    r.description = *in.description;
  }
  return r;
}

bool InstanceUsesGroup(const store::Resource& instance, const std::string& group_id) {
  json j = json::parse(instance.doc, nullptr, false);
  if (!j.is_object()) return false;
  if (auto it = j.find("security_group_ids"); it != j.end() && it->is_array()) {
    for (const auto& id : *it) {
      if (id.is_string() && id.get<std::string>() == group_id) return true;
    }
  }
  if (auto it = j.find("security_group_id"); it != j.end() && it->is_string()) {
    return it->get<std::string>() == group_id;
  }
  return false;
}

Result<SecurityGroup> SecurityGroups::Create(store::Tx& tx, const std::string& account,
                                             const std::string& region,
                                             const CreateSecurityGroupRequest& req) const {
  if (!req.name.empty() && !ValidSecurityGroupName(req.name)) {
    return errors::kInvalidSecurityGroupNameMalformed;
  }
  if (!req.description.empty() && !ValidGroupDescription(req.description)) {
    return errors::kInvalidDescriptionMalformed;
  }
  if (req.type != "normal" && req.type != "enterprise") {
    return errors::kInvalidSecurityGroupTypeMalformed;
  }
  if (req.vpc_id.empty()) return errors::kVpcIdRequired;
  auto vpc = vpc_->GetVpc(tx, account, region, req.vpc_id);
  if (!vpc.ok()) {
    // ECS's answer for a VPC it cannot find (vpc's own spec is VPC's).
    if (vpc.error().Is(vpc::errors::kInvalidVpcIdNotFound)) return errors::kInvalidVpcIdNotFound;
    return std::move(vpc).error();
  }
  if (vpc->life.status != "Available") return errors::kIncorrectVpcStatus;
  SWASD_ASSIGN_OR_RETURN(int64_t have,
                         tx.CountResources(store::QueryOf(kSecurityGroupKind, account, region)));
  if (have >= options_.max_groups_per_region) return errors::kQuotaExceedSecurityGroup;
  SecurityGroup g;
  g.id = "sg-" + ids::RandomAlnumLower(20, "ecs/sg-");
  g.account_id = account;
  g.region_id = region;
  g.name = req.name;
  g.description = req.description;
  g.vpc_id = req.vpc_id;
  g.type = req.type;
  g.tags = req.tags;
  g.created_ms = NowMs();
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(g)));
  return g;
}

Result<std::vector<SecurityGroup>> SecurityGroups::List(store::Tx& tx, const std::string& account,
                                                        const std::string& region,
                                                        const SecurityGroupFilter& filter) const {
  auto q = store::QueryOf(kSecurityGroupKind, account, region);
  q.ids = filter.ids;
  q.parent_id = filter.vpc_id;
  if (filter.name) q.names = {*filter.name};
  SWASD_ASSIGN_OR_RETURN(auto all, store::LoadAll<SecurityGroup>(tx, q, GroupFrom, NowMs()));
  if (filter.type) {
    std::erase_if(all, [&](const SecurityGroup& g) { return g.type != *filter.type; });
  }
  return all;
}

Result<SecurityGroup> SecurityGroups::Get(store::Tx& tx, const std::string& account,
                                          const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kSecurityGroupKind, account, id));
  if (!r) return errors::kInvalidSecurityGroupIdNotFound;
  return GroupFrom(*r);
}

Result<SecurityGroup> SecurityGroups::Get(store::Tx& tx, const std::string& account,
                                          const std::string& region,
                                          const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(SecurityGroup g, Get(tx, account, id));
  if (g.region_id != region) return errors::kInvalidSecurityGroupIdNotFound;
  return g;
}

Result<int64_t> SecurityGroups::CountInstances(store::Tx& tx, const std::string& account,
                                               const std::string& region,
                                               const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto instances,
                         tx.ListResources(store::QueryOf(kInstanceKind, account, region)));
  return static_cast<int64_t>(std::count_if(
      instances.begin(), instances.end(),
      [&](const store::Resource& inst) { return InstanceUsesGroup(inst, id); }));
}

Status SecurityGroups::Delete(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(SecurityGroup g, Get(tx, account, region, id));
  SWASD_ASSIGN_OR_RETURN(int64_t users, CountInstances(tx, account, region, g.id));
  if (users > 0) return errors::kSecurityGroupInUse;
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kSecurityGroupKind, account, id));
  (void)gone;
  return Status::Ok();
}

Status SecurityGroups::Authorize(store::Tx& tx, const std::string& account,
                                 const std::string& region, const std::string& id,
                                 const std::vector<RuleInput>& rules) const {
  SWASD_ASSIGN_OR_RETURN(SecurityGroup g, Get(tx, account, region, id));
  std::vector<SecurityGroupRule> add;
  for (const RuleInput& in : rules) {
    SWASD_ASSIGN_OR_RETURN(SecurityGroupRule r, NormalizeRule(in));
    for (const auto& a : add) {
      if (a.SameAs(r)) return errors::kInvalidParamDuplicatePermissions;
    }
    add.push_back(std::move(r));
  }
  const int64_t now = NowMs();
  for (auto& r : add) {
    bool have = std::any_of(g.rules.begin(), g.rules.end(),
                            [&](const SecurityGroupRule& x) { return x.SameAs(r); });
    if (have) continue;
    if (static_cast<int>(g.rules.size()) >= options_.max_rules_per_group) {
      return errors::kAuthorizationLimitExceed;
    }
    r.id = "sgr-" + ids::RandomAlnumLower(20, "ecs/sgr-");
    r.created_ms = now;
    g.rules.push_back(std::move(r));
  }
  return tx.PutResource(ToResource(g));
}

Status SecurityGroups::Revoke(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& id,
                              const std::vector<RuleInput>& rules,
                              const std::vector<std::string>& rule_ids) const {
  SWASD_ASSIGN_OR_RETURN(SecurityGroup g, Get(tx, account, region, id));
  for (const std::string& rid : rule_ids) {
    bool known = std::any_of(g.rules.begin(), g.rules.end(),
                             [&](const SecurityGroupRule& x) { return x.id == rid; });
    if (!known) return errors::kInvalidSecurityGroupRuleIdNotFound;
  }
  std::vector<SecurityGroupRule> gone;
  for (const RuleInput& in : rules) {
    SWASD_ASSIGN_OR_RETURN(SecurityGroupRule r, NormalizeRule(in));
    gone.push_back(std::move(r));
  }
  std::erase_if(g.rules, [&](const SecurityGroupRule& x) {
    if (std::find(rule_ids.begin(), rule_ids.end(), x.id) != rule_ids.end()) return true;
    return std::any_of(gone.begin(), gone.end(),
                       [&](const SecurityGroupRule& r) { return r.SameAs(x); });
  });
  return tx.PutResource(ToResource(g));
}

}  // namespace swasd::ecs
