// Instances and disks.
#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

Json TagsJson(const std::vector<InstanceTag>& tags) {
  Json out = Json::array();
  for (const auto& t : tags) out.push_back({{"TagKey", t.key}, {"TagValue", t.value}});
  return out;
}

Json InstanceJson(const Instance& v, const InstanceTypeCatalog& types) {
  const InstanceTypeSpec* t = types.Find(v.instance_type);
  return {{"InstanceId", v.id},
          {"InstanceName", v.name},
          {"HostName", v.host_name},
          {"Description", v.description},
          {"KeyPairName", v.key_pair_name},
          {"RegionId", v.region_id},
          {"ZoneId", v.zone_id},
          {"Status", v.life.status},
          {"ImageId", v.image_id},
          {"InstanceType", v.instance_type},
          {"InstanceTypeFamily", v.instance_type.substr(0, v.instance_type.rfind('.'))},
          {"Cpu", t ? t->cpu : 0},
          {"Memory", t ? t->memory_mib() : 0},
          {"OSType", v.os_type},
          {"OSName", v.os_name},
          {"OSNameEn", v.os_name},
          {"CreationTime", FormatIso8601(v.created_ms / 1000)},
          {"InstanceChargeType", v.charge_type},
          {"InternetChargeType", "PayByTraffic"},
          {"InternetMaxBandwidthOut", v.bandwidth_out},
          {"InstanceNetworkType", "vpc"},
          {"IoOptimized", true},
          {"PublicIpAddress", IpList(v.public_ip)},
          {"InnerIpAddress", IpList("")},
          {"VpcAttributes", {{"VpcId", v.vpc_id},
                             {"VSwitchId", v.vswitch_id},
                             {"NatIpAddress", ""},
                             {"PrivateIpAddress", IpList(v.private_ip)}}},
          {"SecurityGroupIds", {{"SecurityGroupId", v.security_group_ids}}},
          {"Tags", {{"Tag", TagsJson(v.tags)}}}};
}

Json DiskJson(const Disk& d) {
  return {{"DiskId", d.id},
          {"DiskName", d.name},
          {"RegionId", d.region_id},
          {"ZoneId", d.zone_id},
          {"Type", d.type},
          {"Category", d.category},
          {"Size", d.size},
          {"Status", d.instance_id.empty() ? "Available" : "In_use"},
          {"InstanceId", d.instance_id},
          {"ImageId", d.image_id},
          {"Device", d.instance_id.empty() ? "" : d.device},
          {"CreationTime", FormatIso8601(d.created_ms / 1000)},
          {"DiskChargeType", "PostPaid"},
          {"DeleteWithInstance", d.delete_with_instance},
          {"Description", d.description},
          {"Portable", false},
          {"Encrypted", false},
          {"SourceSnapshotId", ""},
          {"Attachments",
           {{"Attachment",
             d.instance_id.empty()
                 ? Json::array()
                 : Json::array({{{"InstanceId", d.instance_id},
                                 {"Device", d.device},
                                 {"AttachedTime", FormatIso8601(d.created_ms / 1000)}}})}}},
          {"Tags", {{"Tag", Json::array()}}}};
}

// Tag.N as ECS sends it.
std::vector<InstanceTag> TagsFrom(const Args& args) {
  std::vector<InstanceTag> out;
  for (const auto& fields : args.Objects("Tag")) {
    InstanceTag t;
    for (const auto& [field, value] : fields) {
      if (field == "Key") t.key = value;
      if (field == "Value") t.value = value;
    }
    out.push_back(std::move(t));
  }
  return out;
}

Result<CreateRequest> CreateFrom(const Args& args, bool run) {
  CreateRequest req;
  req.region = *args.String("RegionId");
  req.zone = args.String("ZoneId").value_or("");
  req.image_id = *args.String("ImageId");
  req.instance_type = *args.String("InstanceType");
  req.name = args.String("InstanceName").value_or("");
  req.description = args.String("Description").value_or("");
  req.vswitch_id = args.String("VSwitchId").value_or("");
  req.private_ip = args.String("PrivateIpAddress").value_or("");
  auto group = args.String("SecurityGroupId");
  std::vector<std::string> groups = run ? args.Repeated("SecurityGroupIds") : std::vector<std::string>{};
  if (group && !groups.empty()) {
    return Error(errors::kInvalidParameterConflict,
                 "SecurityGroupId and SecurityGroupIds.N cannot be given together.");
  }
  if (group) groups = {*group};
  req.security_group_ids = std::move(groups);
  req.key_pair_name = args.String("KeyPairName").value_or("");
  req.host_name = args.String("HostName").value_or("");
  if (run) req.host_names = args.Repeated("HostNames");
  req.user_data = args.String("UserData").value_or("");
  req.tags = TagsFrom(args);
  req.charge_type = args.String("InstanceChargeType").value_or("PostPaid");
  req.disk_category = args.String("SystemDisk.Category").value_or("cloud_essd");
  req.disk_size = static_cast<int>(args.Integer("SystemDisk.Size").value_or(0));
  for (const auto& fields : args.Objects("DataDisk")) {
    DataDiskRequest d;
    for (const auto& [field, value] : fields) {
      if (field == "Category") d.category = value;
      if (field == "Size") d.size = std::atoi(value.c_str());
      if (field == "DiskName") d.name = value;
      if (field == "Description") d.description = value;
      if (field == "DeleteWithInstance") d.delete_with_instance = value != "false";
    }
    req.data_disks.push_back(std::move(d));
  }
  req.bandwidth_out = static_cast<int>(args.Integer("InternetMaxBandwidthOut").value_or(0));
  req.amount = run ? static_cast<int>(args.Integer("Amount").value_or(1)) : 1;
  req.min_amount = run ? static_cast<int>(args.Integer("MinAmount").value_or(0)) : 0;
  req.run = run;
  return req;
}

InstanceFilter FilterFrom(const Args& args) {
  InstanceFilter f;
  f.ids = ListArg(args, "InstanceIds");
  f.private_ips = ListArg(args, "PrivateIpAddresses");
  f.status = args.String("Status");
  f.name = args.String("InstanceName");
  f.vpc_id = args.String("VpcId");
  f.vswitch_id = args.String("VSwitchId");
  f.zone_id = args.String("ZoneId");
  f.security_group_id = args.String("SecurityGroupId");
  f.instance_type = args.String("InstanceType");
  f.instance_type_family = args.String("InstanceTypeFamily");
  f.key_pair_name = args.String("KeyPairName");
  f.image_id = args.String("ImageId");
  f.charge_type = args.String("InstanceChargeType");
  f.tags = TagsFrom(args);
  return f;
}

}  // namespace

void AddInstanceOperations(Routes* r, const Services* s) {
  r->Write("RunInstances", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(CreateRequest req, CreateFrom(args, true));
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, req));
             return Json{{"InstanceIdSets", {{"InstanceIdSet", ids}}}, {"TradePrice", 0}};
           });

  r->Write("CreateInstance", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(CreateRequest req, CreateFrom(args, false));
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, req));
             return Json{{"InstanceId", ids.at(0)}, {"TradePrice", 0}};
           });

  r->Read("DescribeInstances", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            SWASD_ASSIGN_OR_RETURN(store::Page page,
                                   gateway::PageOrTokenFrom(args, errors::kInvalidNextToken));
            SWASD_ASSIGN_OR_RETURN(
                auto listed, s->service->ListInstances(tx, ctx.principal.account_id,
                                                       *args.String("RegionId"),
                                                       FilterFrom(args), page));
            Json list = Json::array();
            for (const auto& v : listed.items) {
              list.push_back(InstanceJson(v, s->service->instance_types()));
            }
            return Json{{"TotalCount", listed.total},
                        {"PageNumber", page.by_token ? 1 : page.number},
                        {"PageSize", page.size},
                        {"NextToken", listed.next_token},
                        {"Instances", {{"Instance", std::move(list)}}}};
          });

  struct PowerOp {
    const char* action;
    Service::Power power;
  };
  for (const PowerOp& p : {PowerOp{"StartInstance", Service::Power::kStart},
                           PowerOp{"StopInstance", Service::Power::kStop},
                           PowerOp{"RebootInstance", Service::Power::kReboot}}) {
    Service::Power power = p.power;
    r->Write(p.action, [s, power](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
               SWASD_RETURN_IF_ERROR(s->service->ChangePower(
                   tx, ctx.principal.account_id, *args.String("InstanceId"), power,
                   args.Boolean("ForceStop").value_or(false)));
               return Json::object();
             });
  }

  r->Write("DeleteInstance", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteInstance(tx, ctx.principal.account_id,
                                                              *args.String("InstanceId"),
                                                              args.Boolean("Force").value_or(false)));
             return Json::object();
           });

  r->Read("DescribeDisks", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            store::Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed, s->service->ListDisks(tx, ctx.principal.account_id,
                                                   *args.String("RegionId"), ListArg(args, "DiskIds"),
                                                   args.String("InstanceId"),
                                                   args.String("DiskType"), page));
            Json list = Json::array();
            for (const auto& d : listed.items) list.push_back(DiskJson(d));
            return Json{{"TotalCount", listed.total},
                        {"PageNumber", page.number},
                        {"PageSize", page.size},
                        {"Disks", {{"Disk", std::move(list)}}}};
          });

  r->Write("ReInitDisk", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ReInitDisk(
                 tx, ctx.principal.account_id, *args.String("DiskId"),
                 args.Boolean("AutoStartInstance").value_or(false)));
             return Json::object();
           });

  r->Write("ReplaceSystemDisk", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(std::string disk, s->service->ReplaceSystemDisk(
                                                          tx, ctx.principal.account_id,
                                                          *args.String("InstanceId"),
                                                          *args.String("ImageId")));
             return Json{{"DiskId", disk}};
           });
}

}  // namespace swasd::ecs::api
