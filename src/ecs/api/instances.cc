// Instances and disks.
#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

Json InstanceJson(const Instance& v) {
  const InstanceType* t = FindInstanceType(v.instance_type);
  return {{"InstanceId", v.id},
          {"InstanceName", v.name},
          {"HostName", v.id},
          {"RegionId", v.region_id},
          {"ZoneId", v.zone_id},
          {"Status", v.life.status},
          {"ImageId", v.image_id},
          {"InstanceType", v.instance_type},
          {"InstanceTypeFamily", v.instance_type.substr(0, v.instance_type.rfind('.'))},
          {"Cpu", t ? t->cpu : 0},
          {"Memory", t ? t->memory_mib : 0},
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
          {"SecurityGroupIds", {{"SecurityGroupId", Json::array({v.security_group_id})}}},
          {"Tags", {{"Tag", Json::array()}}}};
}

Json DiskJson(const Disk& d) {
  return {{"DiskId", d.id},
          {"DiskName", d.name},
          {"RegionId", d.region_id},
          {"ZoneId", d.zone_id},
          {"Type", d.type},
          {"Category", d.category},
          {"Size", d.size},
          {"Status", "In_use"},
          {"InstanceId", d.instance_id},
          {"ImageId", d.image_id},
          {"Device", d.device},
          {"CreationTime", FormatIso8601(d.created_ms / 1000)},
          {"DiskChargeType", "PostPaid"},
          {"DeleteWithInstance", true},
          {"Portable", false},
          {"Encrypted", false},
          {"SourceSnapshotId", ""},
          {"Attachments", {{"Attachment", Json::array({{{"InstanceId", d.instance_id},
                                                         {"Device", d.device},
                                                         {"AttachedTime", FormatIso8601(d.created_ms / 1000)}}})}}},
          {"Tags", {{"Tag", Json::array()}}}};
}

CreateRequest CreateFrom(const Args& args, bool run) {
  CreateRequest req;
  req.region = *args.String("RegionId");
  req.zone = args.String("ZoneId").value_or("");
  req.image_id = *args.String("ImageId");
  req.instance_type = *args.String("InstanceType");
  req.name = args.String("InstanceName").value_or("");
  req.security_group_id = args.String("SecurityGroupId").value_or("");
  req.vswitch_id = args.String("VSwitchId").value_or("");
  req.charge_type = args.String("InstanceChargeType").value_or("PostPaid");
  req.disk_category = args.String("SystemDisk.Category").value_or("cloud_essd");
  req.disk_size = static_cast<int>(args.Integer("SystemDisk.Size").value_or(0));
  req.bandwidth_out = static_cast<int>(args.Integer("InternetMaxBandwidthOut").value_or(0));
  req.amount = run ? static_cast<int>(args.Integer("Amount").value_or(1)) : 1;
  req.run = run;
  return req;
}

}  // namespace

void AddInstanceOperations(Routes* r, const Services* s) {
  r->Write("RunInstances", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, CreateFrom(args, true)));
             return Json{{"InstanceIdSets", {{"InstanceIdSet", ids}}}, {"TradePrice", 0}};
           });

  r->Write("CreateInstance", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, CreateFrom(args, false)));
             return Json{{"InstanceId", ids.at(0)}, {"TradePrice", 0}};
           });

  r->Read("DescribeInstances", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            store::Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed, s->service->ListInstances(tx, ctx.principal.account_id,
                                                       *args.String("RegionId"),
                                                       ListArg(args, "InstanceIds"),
                                                       args.String("Status"),
                                                       args.String("InstanceName"), page));
            Json list = Json::array();
            for (const auto& v : listed.items) list.push_back(InstanceJson(v));
            return Json{{"TotalCount", listed.total},
                        {"PageNumber", page.number},
                        {"PageSize", page.size},
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
