#include "vpc/api/routes.h"

#include "base/clock.h"
#include "gateway/common_params.h"
#include "vpc/cidr.h"
#include "vpc/errors.h"

namespace swasd::vpc::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::Routes;

std::string Time(int64_t ms) { return FormatIso8601(ms / 1000); }

// VPC's lists: wrapper object named after the item, inner lists too.
Json Wrapped(const char* item, Json list) { return Json{{item, std::move(list)}}; }

Json VpcJson(const Vpc& v, const std::vector<std::string>& vswitches) {
  return {{"VpcId", v.id},
          {"RegionId", v.region_id},
          {"Status", v.life.status},
          {"VpcName", v.name},
          {"Description", v.description},
          {"CreationTime", Time(v.created_ms)},
          {"CidrBlock", v.cidr_block},
          {"VRouterId", v.vrouter_id},
          {"IsDefault", false},
          {"OwnerId", std::stoll(v.account_id)},
          {"ResourceGroupId", v.resource_group_id},
          {"VSwitchIds", Wrapped("VSwitchId", vswitches)},
          {"RouterTableIds", Wrapped("RouterTableIds", Json::array({v.route_table_id}))},
          {"UserCidrs", Wrapped("UserCidr", Json::array())},
          {"NatGatewayIds", Wrapped("NatGatewayIds", Json::array())},
          {"SecondaryCidrBlocks", Wrapped("SecondaryCidrBlock", Json::array())},
          {"EnabledIpv6", false},
          {"Ipv6CidrBlock", ""},
          {"DnsHostnameStatus", "DISABLED"},
          {"Tags", Wrapped("Tag", Json::array())}};
}

Json VSwitchJson(const VSwitch& v, const Vpc* vpc) {
  // The first address and the last three are reserved (CreateVSwitch);
  // each instance on it uses one.
  const int64_t usable =
      static_cast<int64_t>(Cidr::Parse(v.cidr_block)->Size()) - 4 - v.used_ips;
  return {{"VSwitchId", v.id},
          {"VpcId", v.vpc_id},
          {"Status", v.life.status},
          {"CidrBlock", v.cidr_block},
          {"ZoneId", v.zone_id},
          {"AvailableIpAddressCount", usable},
          {"VSwitchName", v.name},
          {"Description", v.description},
          {"CreationTime", Time(v.created_ms)},
          {"IsDefault", false},
          {"OwnerId", std::stoll(v.account_id)},
          {"ResourceGroupId", vpc ? vpc->resource_group_id : ""},
          {"RouteTable", {{"RouteTableId", vpc ? vpc->route_table_id : ""},
                          {"RouteTableType", "System"}}},
          {"NetworkAclId", ""},
          {"ShareType", "Sole"},
          {"EnabledIpv6", false},
          {"Ipv6CidrBlock", ""},
          {"Tags", Wrapped("Tag", Json::array())}};
}

// VPC's id filters: one id, or several separated by commas.
std::vector<std::string> CommaIds(const std::optional<std::string>& v) {
  std::vector<std::string> out;
  if (!v) return out;
  size_t start = 0;
  while (start <= v->size()) {
    size_t comma = v->find(',', start);
    std::string id = v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!id.empty()) out.push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// DescribeVpcAttribute's answer: DescribeVpcs' item without the fields its
// model lacks (RouterTableIds, NatGatewayIds), plus its own.
Json VpcAttributeJson(const Vpc& v, const std::vector<std::string>& vswitches) {
  Json j = VpcJson(v, vswitches);
  j.erase("RouterTableIds");
  j.erase("NatGatewayIds");
  j["ClassicLinkEnabled"] = false;
  j["SupportIpv4Gateway"] = false;
  j["Ipv6CidrBlocks"] = Wrapped("Ipv6CidrBlock", Json::array());
  return j;
}

Json Paged(const char* outer, const char* inner, Json items, int64_t total, store::Page page) {
  return {{"TotalCount", total},
          {"PageNumber", page.number},
          {"PageSize", page.size},
          {outer, Wrapped(inner, std::move(items))}};
}

// The ids of a VPC's vSwitches.
Result<std::vector<std::string>> VSwitchIdsOf(store::Tx& tx, const Services* s,
                                              const std::string& account,
                                              const std::string& region, const std::string& vpc) {
  VSwitchFilter sf;
  sf.vpc_id = vpc;
  SWASD_ASSIGN_OR_RETURN(auto sw, s->service->ListVSwitches(tx, account, region, sf, {1, 1000}));
  std::vector<std::string> ids;
  for (const auto& x : sw.items) ids.push_back(x.id);
  return ids;
}

void AddOperations(Routes* r, const Services* s) {
  r->Write("CreateVpc", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                            const Args& args) -> Result<Json> {
    CreateVpcRequest req;
    req.cidr_block = args.String("CidrBlock");
    if (req.cidr_block && req.cidr_block->empty()) req.cidr_block.reset();
    req.name = args.String("VpcName").value_or("");
    req.description = args.String("Description").value_or("");
    req.resource_group_id = args.String("ResourceGroupId").value_or("");
    SWASD_ASSIGN_OR_RETURN(Vpc v, s->service->CreateVpc(tx, ctx.principal.account_id, region, req));
    return Json{{"VpcId", v.id}, {"VRouterId", v.vrouter_id},
                {"RouteTableId", v.route_table_id}, {"ResourceGroupId", v.resource_group_id}};
  });

  r->Read("DescribeVpcs", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                              const Args& args) -> Result<Json> {
    VpcFilter f;
    f.ids = CommaIds(args.String("VpcId"));
    f.name = args.String("VpcName");
    store::Page page = gateway::PageFrom(args);
    const std::string& account = ctx.principal.account_id;
    SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListVpcs(tx, account, region, f, page));
    Json items = Json::array();
    for (const Vpc& v : listed.items) {
      SWASD_ASSIGN_OR_RETURN(auto ids, VSwitchIdsOf(tx, s, account, region, v.id));
      items.push_back(VpcJson(v, ids));
    }
    return Paged("Vpcs", "Vpc", std::move(items), listed.total, page);
  });

  // What Terraform polls after CreateVpc until Status is Available.
  r->Read("DescribeVpcAttribute", [s](store::Tx& tx, const CallContext& ctx,
                                      const std::string& region, const Args& args) -> Result<Json> {
    const std::string& account = ctx.principal.account_id;
    SWASD_ASSIGN_OR_RETURN(Vpc v, s->service->GetVpc(tx, account, region, *args.String("VpcId")));
    SWASD_ASSIGN_OR_RETURN(auto ids, VSwitchIdsOf(tx, s, account, region, v.id));
    return VpcAttributeJson(v, ids);
  });

  r->Write("DeleteVpc", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                            const Args& args) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(
        s->service->DeleteVpc(tx, ctx.principal.account_id, region, *args.String("VpcId")));
    return Json::object();
  });

  r->Write("CreateVSwitch", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                                const Args& args) -> Result<Json> {
    CreateVSwitchRequest req;
    req.vpc_id = *args.String("VpcId");
    req.zone_id = *args.String("ZoneId");
    req.cidr_block = *args.String("CidrBlock");
    req.name = args.String("VSwitchName").value_or("");
    req.description = args.String("Description").value_or("");
    SWASD_ASSIGN_OR_RETURN(std::string id,
                           s->service->CreateVSwitch(tx, ctx.principal.account_id, region, req));
    return Json{{"VSwitchId", id}};
  });

  r->Read("DescribeVSwitches", [s](store::Tx& tx, const CallContext& ctx,
                                   const std::string& region, const Args& args) -> Result<Json> {
    VSwitchFilter f;
    f.ids = CommaIds(args.String("VSwitchId"));
    f.vpc_id = args.String("VpcId");
    f.zone_id = args.String("ZoneId");
    f.name = args.String("VSwitchName");
    store::Page page = gateway::PageFrom(args);
    const std::string& account = ctx.principal.account_id;
    SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListVSwitches(tx, account, region, f, page));
    Json items = Json::array();
    for (const VSwitch& v : listed.items) {
      auto vpc = s->service->GetVpc(tx, account, region, v.vpc_id);
      items.push_back(VSwitchJson(v, vpc.ok() ? &vpc.value() : nullptr));
    }
    return Paged("VSwitches", "VSwitch", std::move(items), listed.total, page);
  });

  // What Terraform polls after CreateVSwitch until Status is Available.
  r->Read("DescribeVSwitchAttributes", [s](store::Tx& tx, const CallContext& ctx,
                                           const std::string& region,
                                           const Args& args) -> Result<Json> {
    const std::string& account = ctx.principal.account_id;
    SWASD_ASSIGN_OR_RETURN(VSwitch v, s->service->GetVSwitch(tx, account, region,
                                                             *args.String("VSwitchId")));
    auto vpc = s->service->GetVpc(tx, account, region, v.vpc_id);
    return VSwitchJson(v, vpc.ok() ? &vpc.value() : nullptr);
  });

  r->Write("DeleteVSwitch", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
                                const Args& args) -> Result<Json> {
    SWASD_RETURN_IF_ERROR(s->service->DeleteVSwitch(tx, ctx.principal.account_id, region,
                                                    *args.String("VSwitchId")));
    return Json::object();
  });
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* overlay,
                         gateway::Overlay::Builtin(kProduct.code, {}));
  // Every operation acts in a served region; writes honour DryRun as VPC
  // does (validated, rolled back, DryRunOperation).
  Routes routes(kProduct, overlay, services,
                {.before = [services](const Args& args) -> Status {
                   return services->check_region(args.String("RegionId").value_or(""));
                 },
                 .dry_run = errors::kDryRunOperation});
  AddOperations(&routes, services);
  return routes.Register(registry);
}

}  // namespace swasd::vpc::api
