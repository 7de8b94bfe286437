// Security groups and their inbound rules, SSH key pairs.
#include <charconv>

#include "base/clock.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

std::string Time(int64_t ms) { return FormatIso8601(ms / 1000); }

Json TagsJson(const std::vector<std::pair<std::string, std::string>>& tags) {
  Json list = Json::array();
  for (const auto& [k, v] : tags) list.push_back({{"TagKey", k}, {"TagValue", v}});
  return Json{{"Tag", std::move(list)}};
}

std::vector<std::pair<std::string, std::string>> TagsFrom(const Args& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& fields : args.Objects("Tag")) {
    std::string key, value;
    for (const auto& [name, v] : fields) {
      if (name == "Key") key = v;
      if (name == "Value") value = v;
    }
    out.emplace_back(key, value);
  }
  return out;
}

// The rule fields of the legacy flat form; Permissions.N uses the same names.
constexpr const char* kRuleFields[] = {"IpProtocol", "PortRange", "SourceCidrIp", "Policy",
                                       "Priority",   "NicType",   "Description"};

void SetRuleField(RuleInput* in, std::string_view name, std::string value) {
  if (name == "IpProtocol") in->ip_protocol = std::move(value);
  if (name == "PortRange") in->port_range = std::move(value);
  if (name == "SourceCidrIp") in->source_cidr_ip = std::move(value);
  if (name == "Policy") in->policy = std::move(value);
  if (name == "Priority") in->priority = std::move(value);
  if (name == "NicType") in->nic_type = std::move(value);
  if (name == "Description") in->description = std::move(value);
}

// The rules of an Authorize/Revoke call: Permissions.N, or the flat form
// (one rule, when any of its fields is sent), never both.
Result<std::vector<RuleInput>> RulesFrom(const Args& args) {
  RuleInput flat;
  bool any_flat = false;
  for (const char* f : kRuleFields) {
    if (auto v = args.String(f)) {
      SetRuleField(&flat, f, *v);
      any_flat = true;
    }
  }
  std::vector<RuleInput> out;
  for (const auto& fields : args.Objects("Permissions")) {
    RuleInput in;
    for (const auto& [name, v] : fields) SetRuleField(&in, name, v);
    out.push_back(std::move(in));
  }
  if (!out.empty() && any_flat) return errors::kInvalidParamPermissions;
  if (any_flat) out.push_back(std::move(flat));
  return out;
}

Json GroupJson(const SecurityGroup& g, int64_t instances) {
  return {{"SecurityGroupId", g.id},
          {"SecurityGroupName", g.name},
          {"Description", g.description},
          {"VpcId", g.vpc_id},
          {"CreationTime", Time(g.created_ms)},
          {"SecurityGroupType", g.type},
          {"ResourceGroupId", ""},
          {"EcsCount", instances},
          // A normal group holds at most 2000 private IPs (ECS limits).
          {"AvailableInstanceAmount", std::max<int64_t>(0, 2000 - instances)},
          {"RuleCount", static_cast<int64_t>(g.rules.size())},
          {"GroupToGroupRuleCount", 0},
          {"ServiceManaged", false},
          {"Tags", TagsJson(g.tags)}};
}

Json RuleJson(const SecurityGroupRule& r) {
  return {{"SecurityGroupRuleId", r.id},
          {"Direction", r.direction},
          {"IpProtocol", r.ip_protocol},
          {"PortRange", r.port_range},
          {"SourcePortRange", ""},
          {"SourceCidrIp", r.source_cidr_ip},
          {"Ipv6SourceCidrIp", ""},
          {"SourceGroupId", ""},
          {"SourceGroupName", ""},
          {"SourceGroupOwnerAccount", ""},
          {"SourcePrefixListId", ""},
          {"SourcePrefixListName", ""},
          {"DestCidrIp", ""},
          {"Ipv6DestCidrIp", ""},
          {"DestGroupId", ""},
          {"DestGroupName", ""},
          {"DestGroupOwnerAccount", ""},
          {"DestPrefixListId", ""},
          {"DestPrefixListName", ""},
          {"PortRangeListId", ""},
          {"PortRangeListName", ""},
          {"Policy", r.policy},
          {"Priority", std::to_string(r.priority)},
          {"NicType", r.nic_type},
          {"Description", r.description},
          {"CreateTime", Time(r.created_ms)}};
}

// NextToken/MaxResults paging (DescribeSecurityGroups): the token is the
// offset of the next item, as decimal; "" when nothing follows.
struct TokenPage {
  int64_t offset = 0;
  int64_t size = 10;
};

Result<TokenPage> TokenPageFrom(const Args& args) {
  TokenPage p;
  p.size = args.Integer("MaxResults").value_or(10);
  if (auto t = args.String("NextToken"); t && !t->empty()) {
    auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), p.offset);
    if (ec != std::errc() || end != t->data() + t->size() || p.offset < 0) {
      return errors::kInvalidNextToken;
    }
  }
  return p;
}

void AddSecurityGroupOperations(Routes* r, const Services* s) {
  r->Write("CreateSecurityGroup", [s](store::Tx& tx, const CallContext& ctx,
                                      const std::string& region, const Args& args)
                                      -> Result<Json> {
    CreateSecurityGroupRequest req;
    req.vpc_id = args.String("VpcId").value_or("");
    req.name = args.String("SecurityGroupName").value_or("");
    req.description = args.String("Description").value_or("");
    req.type = args.String("SecurityGroupType").value_or("normal");
    req.tags = TagsFrom(args);
    SWASD_ASSIGN_OR_RETURN(SecurityGroup g, s->security_groups->Create(
                                                tx, ctx.principal.account_id, region, req));
    return Json{{"SecurityGroupId", g.id}};
  });

  r->Read("DescribeSecurityGroups", [s](store::Tx& tx, const CallContext& ctx,
                                        const std::string& region, const Args& args)
                                        -> Result<Json> {
    const std::string& account = ctx.principal.account_id;
    SecurityGroupFilter f;
    f.ids = ListArg(args, "SecurityGroupIds");
    if (auto one = args.String("SecurityGroupId")) f.ids.push_back(*one);
    f.vpc_id = args.String("VpcId");
    f.name = args.String("SecurityGroupName");
    f.type = args.String("SecurityGroupType");
    std::vector<SecurityGroup> all;
    // Every group is a VPC group: NetworkType=classic matches none.
    if (args.String("NetworkType").value_or("vpc") == "vpc") {
      SWASD_ASSIGN_OR_RETURN(all, s->security_groups->List(tx, account, region, f));
    }
    const bool by_token = args.String("NextToken") || args.Integer("MaxResults");
    int64_t begin = 0, size = 0;
    Json out{{"RegionId", region}};
    if (by_token) {
      SWASD_ASSIGN_OR_RETURN(TokenPage p, TokenPageFrom(args));
      begin = p.offset;
      size = p.size;
    } else {
      store::Page page = gateway::PageFrom(args);
      begin = (page.number - 1) * page.size;
      size = page.size;
      out["PageNumber"] = page.number;
      out["PageSize"] = page.size;
    }
    const int64_t total = static_cast<int64_t>(all.size());
    Json items = Json::array();
    for (int64_t i = begin; i < total && i < begin + size; ++i) {
      const SecurityGroup& g = all[static_cast<size_t>(i)];
      SWASD_ASSIGN_OR_RETURN(int64_t n,
                             s->security_groups->CountInstances(tx, account, region, g.id));
      items.push_back(GroupJson(g, n));
    }
    out["TotalCount"] = total;
    out["NextToken"] = by_token && begin + size < total ? std::to_string(begin + size) : "";
    out["SecurityGroups"] = Json{{"SecurityGroup", std::move(items)}};
    return out;
  });

  r->Write("DeleteSecurityGroup", [s](store::Tx& tx, const CallContext& ctx,
                                      const std::string& region, const Args& args)
                                      -> Result<Json> {
    SWASD_RETURN_IF_ERROR(s->security_groups->Delete(tx, ctx.principal.account_id, region,
                                                     *args.String("SecurityGroupId")));
    return Json::object();
  });

  r->Write("AuthorizeSecurityGroup", [s](store::Tx& tx, const CallContext& ctx,
                                         const std::string& region, const Args& args)
                                         -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(auto rules, RulesFrom(args));
    // Nothing sent at all: the flat form's first missing field.
    if (rules.empty()) rules.emplace_back();
    SWASD_RETURN_IF_ERROR(s->security_groups->Authorize(
        tx, ctx.principal.account_id, region, *args.String("SecurityGroupId"), rules));
    return Json::object();
  });

  r->Write("RevokeSecurityGroup", [s](store::Tx& tx, const CallContext& ctx,
                                      const std::string& region, const Args& args)
                                      -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(auto rules, RulesFrom(args));
    std::vector<std::string> ids = args.Repeated("SecurityGroupRuleId");
    if (rules.empty() && ids.empty()) rules.emplace_back();
    SWASD_RETURN_IF_ERROR(s->security_groups->Revoke(
        tx, ctx.principal.account_id, region, *args.String("SecurityGroupId"), rules, ids));
    return Json::object();
  });

  r->Read("DescribeSecurityGroupAttribute", [s](store::Tx& tx, const CallContext& ctx,
                                                const std::string& region, const Args& args)
                                                -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(SecurityGroup g,
                           s->security_groups->Get(tx, ctx.principal.account_id, region,
                                                   *args.String("SecurityGroupId")));
    const std::string direction = args.String("Direction").value_or("all");
    const auto nic = args.String("NicType");
    Json perms = Json::array();
    for (const auto& rule : g.rules) {
      if (direction != "all" && rule.direction != direction) continue;
      if (nic && rule.nic_type != *nic) continue;
      perms.push_back(RuleJson(rule));
    }
    return Json{{"RegionId", g.region_id},
                {"SecurityGroupId", g.id},
                {"SecurityGroupName", g.name},
                {"Description", g.description},
                {"VpcId", g.vpc_id},
                {"InnerAccessPolicy", "Accept"},
                {"NextToken", ""},
                {"Permissions", {{"Permission", std::move(perms)}}}};
  });
}

void AddKeyPairOperations(Routes* r, const Services* s) {
  r->Write("CreateKeyPair", [s](store::Tx& tx, const CallContext& ctx,
                                const std::string& region, const Args& args) -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(CreatedKeyPair k,
                           s->key_pairs->Create(tx, ctx.principal.account_id, region,
                                                *args.String("KeyPairName")));
    return Json{{"KeyPairId", k.pair.id},
                {"KeyPairName", k.pair.name},
                {"KeyPairFingerPrint", k.pair.fingerprint},
                {"PrivateKeyBody", k.private_key_pem}};
  });

  r->Write("ImportKeyPair", [s](store::Tx& tx, const CallContext& ctx,
                                const std::string& region, const Args& args) -> Result<Json> {
    SWASD_ASSIGN_OR_RETURN(KeyPair k, s->key_pairs->Import(tx, ctx.principal.account_id, region,
                                                           *args.String("KeyPairName"),
                                                           *args.String("PublicKeyBody")));
    return Json{{"KeyPairName", k.name}, {"KeyPairFingerPrint", k.fingerprint}};
  });

  r->Read("DescribeKeyPairs", [s](store::Tx& tx, const CallContext& ctx,
                                  const std::string& region, const Args& args) -> Result<Json> {
    KeyPairFilter f;
    f.name = args.String("KeyPairName");
    f.fingerprint = args.String("KeyPairFingerPrint");
    const bool with_key = args.Boolean("IncludePublicKey").value_or(false);
    SWASD_ASSIGN_OR_RETURN(auto all, s->key_pairs->List(tx, ctx.principal.account_id, region, f));
    store::Page page = gateway::PageFrom(args);
    auto listed = store::PageOf(std::move(all), page);
    Json items = Json::array();
    for (const KeyPair& k : listed.items) {
      Json item{{"KeyPairName", k.name},
                {"KeyPairFingerPrint", k.fingerprint},
                {"CreationTime", Time(k.created_ms)},
                {"ResourceGroupId", ""},
                {"Tags", {{"Tag", Json::array()}}}};
      if (with_key) item["PublicKey"] = k.public_key;
      items.push_back(std::move(item));
    }
    return Json{{"TotalCount", listed.total},
                {"PageNumber", page.number},
                {"PageSize", page.size},
                {"KeyPairs", {{"KeyPair", std::move(items)}}}};
  });

  r->Write("DeleteKeyPairs", [s](store::Tx& tx, const CallContext& ctx,
                                 const std::string& region, const Args& args) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(s->key_pairs->Delete(tx, ctx.principal.account_id, region,
                                               ListArg(args, "KeyPairNames")));
    return Json::object();
  });
}

}  // namespace

void AddNetworkOperations(Routes* r, const Services* s) {
  AddSecurityGroupOperations(r, s);
  AddKeyPairOperations(r, s);
}

}  // namespace swasd::ecs::api
