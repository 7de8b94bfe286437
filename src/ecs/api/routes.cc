#include "ecs/api/routes.h"

#include <sstream>

#include "base/errors.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"
#include "swas/service.h"

namespace swasd::ecs::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::ClientTokenParam;
using gateway::IdParam;
using gateway::IdsParam;
using gateway::Json;
using gateway::ListArg;
using gateway::OperationSpec;
using gateway::ParamSpec;
using gateway::ParamType;

constexpr char kInstanceArn[] = "acs:ecs:*:{AccountId}:instance/{InstanceId}";

OperationSpec Op(std::string_view action, std::string_view summary,
                 std::string_view resource, bool mutating,
                 std::vector<ParamSpec> params) {
  OperationSpec op;
  op.product = kProduct.code;
  op.version = kProduct.version;
  op.action = action;
  op.summary = summary;
  op.resource = resource;
  op.mutating = mutating;
  op.ram_action = "ecs:" + std::string(action);
  op.params = std::move(params);
  return op;
}

swas::Page EcsPage(const Args& args) {
  auto p = gateway::PageFrom(args);
  return {p.number, p.size};
}

// ECS's comma-separated lists (ImageId, Status).
std::vector<std::string> CommaList(const std::optional<std::string>& v) {
  std::vector<std::string> out;
  if (!v) return out;
  std::stringstream ss(*v);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool In(const std::vector<std::string>& v, const std::string& s) {
  return v.empty() || std::find(v.begin(), v.end(), s) != v.end();
}

Json IpList(const std::string& ip) {
  return {{"IpAddress", ip.empty() ? Json::array() : Json::array({ip})}};
}

Json ImageJson(const Image& i) {
  return {{"ImageId", i.id},
          {"ImageName", i.name},
          {"ImageOwnerAlias", i.owner_alias},
          {"Status", "Available"},
          {"Size", i.size},
          {"OSType", i.os_type},
          {"OSName", i.os_name},
          {"OSNameEn", i.os_name},
          {"Platform", i.platform},
          {"Architecture", "x86_64"},
          {"CreationTime", FormatIso8601(i.created_ms / 1000)},
          {"IsPublic", i.is_public},
          {"IsCopied", false},
          {"IsSupportIoOptimized", true},
          {"IsSupportCloudinit", true},
          {"Usage", "instance"},
          {"Description", i.description},
          {"ImageVersion", ""},
          {"ImageFamily", ""},
          {"ProductCode", ""},
          {"Progress", "100%"},
          {"BootMode", "BIOS"},
          {"DiskDeviceMappings",
           {{"DiskDeviceMapping",
             Json::array({{{"Size", std::to_string(i.size)},
                           {"Type", "system"},
                           {"SnapshotId", ""},
                           {"Device", "/dev/xvda"},
                           {"Format", ""}}})}}},
          {"Tags", {{"Tag", Json::array()}}}};
}

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

// A mutating call: once per ClientToken, in one transaction.
template <typename F>
void Mutating(std::vector<OperationSpec>* ops, const Services* s, OperationSpec op, F fn) {
  std::string ram = op.ram_action;
  // The handler's only write is Mutator::Run (DryRun's check transaction
  // always rolls back).
  op.claims_nonce = true;
  op.handler = [s, ram, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    if (args.String("RegionId")) {
      SWASD_RETURN_IF_ERROR(s->service->CheckRegion(*args.String("RegionId")));
    }
    // DryRun: everything validated; answer as ECS does, with an error code.
    if (args.Boolean("DryRun").value_or(false)) {
      // Run the real checks in a transaction that always rolls back.
      Status check = s->store->Write([&](store::Tx& tx) -> Status {
        auto r = fn(tx, ctx, args);
        if (!r.ok()) return std::move(r).error();
        return errors::kDryRunOperation;
      });
      return std::move(check).error();
    }
    return s->mutator->Run(ctx, ram, args, [&](store::Tx& tx) { return fn(tx, ctx, args); });
  };
  ops->push_back(std::move(op));
}

template <typename F>
void Reading(std::vector<OperationSpec>* ops, const Services* s, OperationSpec op, F fn) {
  op.handler = [s, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    if (args.String("RegionId")) {
      SWASD_RETURN_IF_ERROR(s->service->CheckRegion(*args.String("RegionId")));
    }
    return gateway::ReadJson(s->store, [&](store::Tx& tx) { return fn(tx, ctx, args); });
  };
  ops->push_back(std::move(op));
}

std::vector<ParamSpec> CreateParams(bool run) {
  std::vector<ParamSpec> p = {
      gateway::RegionIdParam(),
      IdParam("ImageId", true, "Public image or a SWAS image shared to ECS."),
      IdParam("InstanceType", true, "e.g. ecs.g7.large."),
      IdParam("InstanceName", false, "Name (default: the instance id)."),
      IdParam("ZoneId", false, "Zone (default: <RegionId>-a)."),
      IdParam("SecurityGroupId", false, "Security group (default: the implied one)."),
      IdParam("VSwitchId", false, "vSwitch (default: the implied one)."),
      {.name = "InstanceChargeType", .description = "PostPaid (default) or PrePaid.",
       .allowed = {"PostPaid", "PrePaid"}},
      {.name = "InternetMaxBandwidthOut", .type = ParamType::kInteger,
       .description = "Public bandwidth Mbit/s; > 0 assigns a public IP.", .min_value = 0,
       .max_value = 100},
      {.name = "SystemDisk.Category", .description = "System disk category.",
       .allowed = {"cloud_essd", "cloud_ssd", "cloud_efficiency", "cloud", "cloud_auto",
                   "cloud_essd_entry"}},
      {.name = "SystemDisk.Size", .type = ParamType::kInteger,
       .description = "System disk GiB, 20-2048.", .min_value = 20, .max_value = 2048},
      {.name = "Password", .description = "Accepted, not stored (see Not supported yet).",
       .max_length = 30},
      gateway::BoolParam("DryRun", "Validate only: answers DryRunOperation."),
      ClientTokenParam()};
  if (run) {
    p.push_back({.name = "Amount", .type = ParamType::kInteger,
                 .description = "How many, 1-100 (default 1).", .min_value = 1,
                 .max_value = 100});
  }
  return p;
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

void AddOperations(std::vector<OperationSpec>* ops, const Services* s) {
  OperationSpec regions = Op("DescribeRegions", "Queries the regions.", "*", false,
                             {{.name = "AcceptLanguage", .description = "zh-CN (default), en-US.",
                               .allowed = {"zh-CN", "en-US", "ja"}}});
  regions.unsupported = {"InstanceChargeType", "ResourceType"};
  regions.handler = [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    bool english = args.String("AcceptLanguage").value_or("zh-CN") != "zh-CN";
    std::string endpoint = s->public_endpoint.empty() ? ctx.host : s->public_endpoint;
    Json list = Json::array();
    for (const auto& r : s->regions->regions()) {
      list.push_back({{"RegionId", r.region_id},
                      {"LocalName", english ? r.name_en : r.name_zh},
                      {"RegionEndpoint", endpoint},
                      {"Status", "available"}});
    }
    return Json{{"Regions", {{"Region", std::move(list)}}}};
  };
  ops->push_back(std::move(regions));

  OperationSpec images = Op(
      "DescribeImages", "Queries the images ECS can use, SWAS images shared to ECS included.",
      "acs:ecs:{RegionId}:{AccountId}:image/*", false,
      {gateway::RegionIdParam(),
       {.name = "ImageId", .description = "Comma-separated image ids.", .max_length = 4096},
       {.name = "ImageName", .description = "Exact image name.", .max_length = 128},
       {.name = "ImageOwnerAlias", .description = "system, self, others or marketplace.",
        .allowed = {"system", "self", "others", "marketplace"}},
       {.name = "Status", .description = "Comma-separated statuses (default Available).",
        .max_length = 256},
       {.name = "OSType", .description = "linux or windows.", .allowed = {"linux", "windows"}},
       gateway::PageNumberParam(), gateway::PageSizeParam()});
  images.unsupported = {"Architecture", "Filter.N", "Tag.N", "IsPublic", "Usage", "ImageFamily",
                        "InstanceType", "SnapshotId", "ActionType"};
  images.canned = {"`Architecture` (always `x86_64`)",
                   "`DiskDeviceMappings.DiskDeviceMapping.SnapshotId` (always empty)",
                   "`BootMode` (always `BIOS`)", "`IsCopied` (always false)",
                   "`ImageVersion`, `ImageFamily`, `ProductCode` (always empty)"};
  Reading(ops, s, std::move(images),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string region = *args.String("RegionId");
            auto ids = CommaList(args.String("ImageId"));
            auto statuses = CommaList(args.String("Status"));
            if (statuses.empty()) statuses = {"Available"};
            auto owner = args.String("ImageOwnerAlias");
            auto name = args.String("ImageName");
            auto os = args.String("OSType");
            SWASD_ASSIGN_OR_RETURN(auto all,
                                   s->service->VisibleImages(tx, ctx.principal.account_id, region));
            std::vector<Image> match;
            for (auto& i : all) {
              if (!In(ids, i.id) || !In(statuses, "Available")) continue;
              if (owner && *owner != i.owner_alias) continue;
              if (name && *name != i.name) continue;
              if (os && *os != i.os_type) continue;
              match.push_back(std::move(i));
            }
            swas::Page page = EcsPage(args);
            Json list = Json::array();
            int64_t begin = (page.number - 1) * page.size;
            for (int64_t k = begin; k < static_cast<int64_t>(match.size()) && k < begin + page.size; ++k) {
              list.push_back(ImageJson(match[static_cast<size_t>(k)]));
            }
            return Json{{"RegionId", region},
                        {"TotalCount", match.size()},
                        {"PageNumber", page.number},
                        {"PageSize", page.size},
                        {"Images", {{"Image", std::move(list)}}}};
          });

  OperationSpec run = Op("RunInstances", "Creates and starts instances.",
                         "acs:ecs:{RegionId}:{AccountId}:instance/*", true, CreateParams(true));
  run.unsupported = {"Password (accepted, not stored)", "DataDisk.N", "HostName(s)",
                     "KeyPairName", "UserData", "Tag.N",
                     "MinAmount", "NetworkInterface.N", "SecurityGroupIds.N", "LaunchTemplate*"};
  Mutating(ops, s, std::move(run),
           [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, CreateFrom(args, true)));
             return Json{{"InstanceIdSets", {{"InstanceIdSet", ids}}}, {"TradePrice", 0}};
           });

  OperationSpec create = Op("CreateInstance", "Creates an instance, left Stopped.",
                            "acs:ecs:{RegionId}:{AccountId}:instance/*", true, CreateParams(false));
  create.unsupported = {"Password (accepted, not stored)", "DataDisk.N", "HostName",
                        "KeyPairName", "UserData", "Tag.N"};
  Mutating(ops, s, std::move(create),
           [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(auto ids, s->service->CreateInstances(
                                                  tx, ctx.principal.account_id, CreateFrom(args, false)));
             return Json{{"InstanceId", ids.at(0)}, {"TradePrice", 0}};
           });

  OperationSpec describe = Op(
      "DescribeInstances", "Queries instances.", "acs:ecs:{RegionId}:{AccountId}:instance/*", false,
      {gateway::RegionIdParam(), IdsParam("InstanceIds", 100, "Instance ids, a JSON array."),
       {.name = "Status", .description = "Pending, Running, Starting, Stopping, Stopped."},
       {.name = "InstanceName", .description = "Exact name.", .max_length = 128},
       gateway::PageNumberParam(), gateway::PageSizeParam()});
  describe.unsupported = {"NextToken/MaxResults", "Filter.N", "Tag.N", "VpcId", "ZoneId",
                          "InstanceType", "PrivateIpAddresses", "PublicIpAddresses"};
  Reading(ops, s, std::move(describe),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            swas::Page page = EcsPage(args);
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
    const char* summary;
    Service::Power power;
  };
  for (const PowerOp& p : {PowerOp{"StartInstance", "Starts an instance.", Service::Power::kStart},
                           PowerOp{"StopInstance", "Stops an instance.", Service::Power::kStop},
                           PowerOp{"RebootInstance", "Restarts an instance.",
                                   Service::Power::kReboot}}) {
    Service::Power power = p.power;
    OperationSpec op = Op(p.action, p.summary, kInstanceArn, true,
                          {IdParam("InstanceId", true, "The instance."),
                           gateway::BoolParam("ForceStop", power == Service::Power::kStop
                                                                ? "Stop at once: Stopped, no Stopping."
                                                                : "Accepted, ignored."),
                           gateway::BoolParam("DryRun", "Validate only.")});
    if (power != Service::Power::kStop) {
      op.unsupported = {"ForceStop (accepted, ignored: no stop to force)"};
    }
    Mutating(ops, s, std::move(op),
             [s, power](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
               SWASD_RETURN_IF_ERROR(s->service->ChangePower(
                   tx, ctx.principal.account_id, *args.String("InstanceId"), power,
                   args.Boolean("ForceStop").value_or(false)));
               return Json::object();
             });
  }

  Mutating(ops, s,
           Op("DeleteInstance", "Releases a Stopped instance (any, with Force).", kInstanceArn, true,
              {IdParam("InstanceId", true, "The instance."),
               gateway::BoolParam("Force", "Release even if not Stopped."),
               gateway::BoolParam("DryRun", "Validate only.")}),
           [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteInstance(tx, ctx.principal.account_id,
                                                              *args.String("InstanceId"),
                                                              args.Boolean("Force").value_or(false)));
             return Json::object();
           });

  OperationSpec disks = Op(
      "DescribeDisks", "Queries disks.", "acs:ecs:{RegionId}:{AccountId}:disk/*", false,
      {gateway::RegionIdParam(), IdsParam("DiskIds", 100, "Disk ids, a JSON array."),
       IdParam("InstanceId", false, "Only this instance's disks."),
       {.name = "DiskType", .description = "all (default), system or data.",
        .allowed = {"all", "system", "data"}},
       gateway::PageNumberParam(), gateway::PageSizeParam()});
  disks.unsupported = {"Category", "Status", "Filter.N", "Tag.N", "NextToken/MaxResults"};
  Reading(ops, s, std::move(disks),
          [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            swas::Page page = EcsPage(args);
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

  OperationSpec reinit = Op("ReInitDisk", "Re-initializes a disk of a Stopped instance.",
                            "acs:ecs:*:{AccountId}:disk/{DiskId}", true,
                            {IdParam("DiskId", true, "The disk."),
                             {.name = "Password", .description = "Accepted, not stored.",
                              .max_length = 30},
                             IdParam("KeyPairName", false, "Accepted, not stored."),
                             gateway::BoolParam("AutoStartInstance", "Start the instance after.")});
  reinit.unsupported = {"Password (accepted, not stored)", "KeyPairName (accepted, not stored)",
                        "SecurityEnhancementStrategy"};
  Mutating(ops, s, std::move(reinit),
           [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ReInitDisk(
                 tx, ctx.principal.account_id, *args.String("DiskId"),
                 args.Boolean("AutoStartInstance").value_or(false)));
             return Json::object();
           });

  OperationSpec replace = Op("ReplaceSystemDisk",
                             "Replaces a Stopped instance's system disk from an image.",
                             kInstanceArn, true,
                             {IdParam("InstanceId", true, "The instance."),
                              IdParam("ImageId", true, "Public image or a shared SWAS image."),
                              {.name = "Password", .description = "Accepted, not stored.",
                               .max_length = 30},
                              {.name = "SystemDisk.Size", .type = ParamType::kInteger,
                               .description = "Accepted, ignored.", .min_value = 20,
                               .max_value = 2048},
                              ClientTokenParam()});
  replace.unsupported = {"Password (accepted, not stored)",
                         "SystemDisk.Size (accepted, ignored: the disk keeps its size)",
                         "KeyPairName", "Architecture", "Platform", "Encrypted", "DiskId"};
  Mutating(ops, s, std::move(replace),
           [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(std::string disk, s->service->ReplaceSystemDisk(
                                                          tx, ctx.principal.account_id,
                                                          *args.String("InstanceId"),
                                                          *args.String("ImageId")));
             return Json{{"DiskId", disk}};
           });
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_RETURN_IF_ERROR(registry->AddProduct(kProduct));
  std::vector<OperationSpec> ops;
  AddOperations(&ops, services);
  for (auto& op : ops) SWASD_RETURN_IF_ERROR(registry->AddOperation(std::move(op)));
  return Status::Ok();
}

}  // namespace swasd::ecs::api
